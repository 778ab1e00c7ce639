#include "native_producer.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include "put_batch.h"
#include "put_result.h"
#include "record_future.h"

namespace py = pybind11;

namespace kinesis::python {
namespace {

// kinesis_producer._native.KinesisError, set by the module.
PyObject* error_type = nullptr;
// The package's RecordFailedError and PutResults (SetResultClasses).
PyObject* record_failed_error = nullptr;
PyObject* put_results = nullptr;

void Check(kinesis_status status) {
  if (status != KINESIS_OK) RaiseLastError();
}

// Sets KinesisError("InvalidArgument", message); returns nullptr.
PyObject* SetInvalid(const char* message) {
  PyObject* args = Py_BuildValue("(ss)", "InvalidArgument", message);
  if (args != nullptr) PyErr_SetObject(error_type, args);
  Py_XDECREF(args);
  return nullptr;
}

// Sets KinesisError from the calling thread's last C API error.
void SetLastError() {
  PyObject* args = Py_BuildValue("(ss)", kinesis_status_name(kinesis_last_error_code()),
                                 kinesis_last_error_message());
  if (args != nullptr) PyErr_SetObject(error_type, args);
  Py_XDECREF(args);
}

// The UTF-8 of a str (cached by Python, NUL-terminated), or nullptr when it is not a str or
// holds a NUL the C API could not see.
const char* Utf8(PyObject* text) {
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_Check(text) ? PyUnicode_AsUTF8AndSize(text, &size) : nullptr;
  if (utf8 == nullptr) {
    PyErr_Clear();
    return nullptr;
  }
  if (std::strlen(utf8) != static_cast<size_t>(size)) return nullptr;
  return utf8;
}

// The fields of one record of PutMany; false when malformed.
bool RecordFields(PyObject* item, const char** data, Py_ssize_t* size, const char** key,
                  const char** hash_key) {
  if (!PyTuple_Check(item)) return false;
  Py_ssize_t n = PyTuple_GET_SIZE(item);
  if (n < 2 || n > 3) return false;
  char* bytes = nullptr;
  if (PyBytes_AsStringAndSize(PyTuple_GET_ITEM(item, 0), &bytes, size) != 0) {
    PyErr_Clear();
    return false;
  }
  *data = bytes;
  *key = Utf8(PyTuple_GET_ITEM(item, 1));
  if (*key == nullptr) return false;
  if (n == 3 && PyTuple_GET_ITEM(item, 2) != Py_None) {
    *hash_key = Utf8(PyTuple_GET_ITEM(item, 2));
    if (*hash_key == nullptr) return false;
  }
  return true;
}

// put's parameters, in order.
constexpr Py_ssize_t kPutArity = 4;
constexpr const char* kPutParameters[kPutArity] = {"data", "partition_key", "explicit_hash_key",
                                                   "stream"};

// Fills `values` (borrowed; Py_None for an optional one not given) from a vectorcall's
// arguments; false with TypeError set when they do not fit put's parameters.
bool PutArguments(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
                  PyObject* values[kPutArity]) {
  static PyObject* names[kPutArity] = {};  // interned, as the keywords of a call site are
  if (names[0] == nullptr) {
    for (Py_ssize_t i = 0; i < kPutArity; ++i) {
      names[i] = PyUnicode_InternFromString(kPutParameters[i]);
      if (names[i] == nullptr) return false;
    }
  }
  if (nargs > kPutArity) {
    PyErr_Format(PyExc_TypeError, "put() takes at most 4 arguments (%zd given)", nargs);
    return false;
  }
  for (Py_ssize_t i = 0; i < kPutArity; ++i) values[i] = i < nargs ? args[i] : nullptr;
  Py_ssize_t keywords = kwnames == nullptr ? 0 : PyTuple_GET_SIZE(kwnames);
  for (Py_ssize_t k = 0; k < keywords; ++k) {
    PyObject* name = PyTuple_GET_ITEM(kwnames, k);
    Py_ssize_t i = 0;
    while (i < kPutArity && name != names[i] && PyUnicode_Compare(name, names[i]) != 0) ++i;
    if (i == kPutArity) {
      PyErr_Format(PyExc_TypeError, "put() got an unexpected keyword argument '%U'", name);
      return false;
    }
    if (values[i] != nullptr) {
      PyErr_Format(PyExc_TypeError, "put() got multiple values for argument '%U'", name);
      return false;
    }
    values[i] = args[nargs + k];
  }
  for (Py_ssize_t i = 0; i < kPutArity; ++i) {
    if (values[i] != nullptr) continue;
    if (i < 2) {
      PyErr_Format(PyExc_TypeError, "put() missing required argument '%s'", kPutParameters[i]);
      return false;
    }
    values[i] = Py_None;
  }
  return true;
}

// What the function PutFunction makes is bound to: its capsule's pointer.
struct PutTarget {
  NativeProducer* producer;
  py::object owner;  // the NativeProducer's Python object, kept alive by the function
  py::object default_stream;
};
constexpr char kPutTarget[] = "kinesis_producer.put";

PyObject* CallPut(PyObject* capsule, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  auto* target = static_cast<PutTarget*>(PyCapsule_GetPointer(capsule, kPutTarget));
  try {
    return target->producer->Put(args, nargs, kwnames, target->default_stream.ptr());
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  }
  return nullptr;
}

PyMethodDef put_method = {
    "put", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&CallPut)),
    METH_FASTCALL | METH_KEYWORDS,
    "put($self, /, data, partition_key, explicit_hash_key=None, stream=None)\n--\n\n"
    "Puts one record; returns a concurrent.futures.Future of its PutResult (or of a\n"
    "RecordFailedError). data is bytes (str is encoded as UTF-8). Raises KinesisError at once\n"
    "when the record is refused (a rule broken, buffer full, producer closed)."};

// Resolve finishes futures made long before, on other threads, with entries filled on the
// engine's callback thread: the loads that missed the cache (the future's slots, the result's
// text) were most of its time (perf). Fetching them a few entries ahead overlaps the misses.
constexpr size_t kPrefetchAhead = 8;

void Prefetch(const Completion& entry, PyObject* future) {
  __builtin_prefetch(future, 1);
  __builtin_prefetch(reinterpret_cast<char*>(future) + 64, 1);
  __builtin_prefetch(entry.record.result.shard_id);  // null (harmless) but for a record
}

}  // namespace

void SetErrorType(PyObject* type) { error_type = type; }

void SetResultClasses(py::handle record_failed_error_class, py::handle put_results_class) {
  record_failed_error = record_failed_error_class.inc_ref().ptr();
  put_results = put_results_class.inc_ref().ptr();
}

void RaiseLastError() {
  SetLastError();
  throw py::error_already_set();
}

NativeProducer::NativeProducer(const std::optional<std::string>& properties,
                               const std::vector<std::pair<std::string, std::string>>& settings,
                               bool route_logs, bool stats) {
  kinesis_config* config = kinesis_config_new();
  if (config == nullptr) throw std::bad_alloc();
  if (properties && kinesis_config_load_properties(config, properties->c_str()) != KINESIS_OK) {
    kinesis_config_free(config);
    RaiseLastError();
  }
  for (const auto& [key, value] : settings) {
    if (kinesis_config_set(config, key.c_str(), value.c_str()) != KINESIS_OK) {
      kinesis_config_free(config);
      RaiseLastError();
    }
  }
  if (route_logs) kinesis_config_set_log_callback(config, &EventQueue::OnLog, &events_);
  if (stats) kinesis_config_set_stats_callback(config, &EventQueue::OnStats, &events_);
  kinesis_status status;
  {
    py::gil_scoped_release release;  // credentials may take a moment
    status = kinesis_producer_new(config, &producer_);
  }
  kinesis_config_free(config);
  Check(status);
}

NativeProducer::~NativeProducer() {
  // Closing waits for the engine: without the GIL (the C API's calls, which cannot throw).
  PyThreadState* state = PyEval_SaveThread();
  kinesis_producer_free(producer_);
  PyEval_RestoreThread(state);
  // Every callback has run: what nobody resolved only needs its reference dropped.
  for (auto& entry : completions_.TakeAll()) Py_XDECREF(static_cast<PyObject*>(entry->future));
}

py::object NativeProducer::PutFunction(py::handle self, py::object default_stream) {
  auto target = std::make_unique<PutTarget>(
      PutTarget{this, py::reinterpret_borrow<py::object>(self), std::move(default_stream)});
  py::object capsule = py::reinterpret_steal<py::object>(
      PyCapsule_New(target.get(), kPutTarget, [](PyObject* dying) {
        delete static_cast<PutTarget*>(PyCapsule_GetPointer(dying, kPutTarget));
      }));
  if (!capsule) throw py::error_already_set();
  static_cast<void>(target.release());  // the capsule's now
  PyObject* function = PyCFunction_NewEx(&put_method, capsule.ptr(), nullptr);
  if (function == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(function);
}

PyObject* NativeProducer::Put(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
                              PyObject* default_stream) {
  PyObject* values[kPutArity];
  if (!PutArguments(args, nargs, kwnames, values)) return nullptr;
  PyObject* stream = values[3] == Py_None ? default_stream : values[3];
  if (stream == Py_None) {
    PyErr_SetString(PyExc_ValueError, "no stream: pass stream= to Producer or to put");
    return nullptr;
  }
  const char* stream_name = Utf8(stream);
  if (stream_name == nullptr) {
    return SetInvalid("the stream name is not a str without NUL characters");
  }
  const char* key = Utf8(values[1]);
  if (key == nullptr) return SetInvalid("the partition key is not a str without NUL characters");
  const char* hash_key = nullptr;
  if (values[2] != Py_None) {
    hash_key = Utf8(values[2]);
    if (hash_key == nullptr) {
      return SetInvalid("the explicit hash key is not a str without NUL characters");
    }
  }
  py::object converted;  // data as bytes, when it was something else
  PyObject* data = values[0];
  const char* bytes = nullptr;
  Py_ssize_t size = 0;
  if (PyUnicode_Check(data)) {
    bytes = PyUnicode_AsUTF8AndSize(data, &size);
    if (bytes == nullptr) return nullptr;
  } else {
    if (!PyBytes_Check(data)) {
      converted = py::reinterpret_steal<py::object>(PyBytes_FromObject(data));
      if (!converted) return nullptr;
      data = converted.ptr();
    }
    bytes = PyBytes_AS_STRING(data);
    size = PyBytes_GET_SIZE(data);
  }
  PyObject* future = RecordFuture::New();
  if (future == nullptr) return nullptr;

  // Owned by the engine once the put succeeds (OnRecordResult pushes it), else by us.
  Completion* entry = NewRecordEntry().release();
  entry->future = Py_NewRef(future);
  // With room in the buffer budget the put takes a microsecond or two and never waits, so it
  // runs with the GIL held: releasing it would hand it to another thread on every record
  // (measured: docs/performance.md). Only a put that must wait for room releases it.
  kinesis_status status =
      kinesis_producer_try_put(producer_, stream_name, key, bytes, static_cast<size_t>(size),
                               hash_key, &Completion::OnRecordResult, entry);
  if (status == KINESIS_RESOURCE_EXHAUSTED) {
    // The data and the str objects are immutable and held by the caller (or by `converted`),
    // so reading them without the GIL is safe.
    PyThreadState* state = PyEval_SaveThread();
    status = kinesis_producer_put(producer_, stream_name, key, bytes, static_cast<size_t>(size),
                                  hash_key, &Completion::OnRecordResult, entry);
    PyEval_RestoreThread(state);
  }
  if (status != KINESIS_OK) {
    Py_DECREF(future);  // the entry's reference
    Py_DECREF(future);
    Recycle(std::unique_ptr<Completion>(entry));
    SetLastError();
    return nullptr;
  }
  return future;
}

void NativeProducer::PutMany(const std::string& stream, const py::list& records,
                             py::handle future) {
  auto done = std::make_unique<Completion>();
  done->queue = &completions_;
  done->future = future.inc_ref().ptr();
  auto batch = std::make_shared<PutBatch>(records.size(), std::move(done));
  // The loop holds the GIL, released only to wait for room: with it released, putting threads
  // ran their puts side by side and put_many from 2 to 8 threads lost 15 to 30 % against
  // holding it (2 cores shared with the engine and the sim; docs/performance.md).
  for (size_t i = 0; i < records.size(); ++i) {
    PyObject* item = PyList_GET_ITEM(records.ptr(), static_cast<Py_ssize_t>(i));
    const char* data = nullptr;
    const char* key = nullptr;
    const char* hash_key = nullptr;
    Py_ssize_t size = 0;
    if (!RecordFields(item, &data, &size, &key, &hash_key)) {
      batch->Refuse(i, KINESIS_INVALID_ARGUMENT,
                    "a record is (data: bytes, partition_key: str[, explicit_hash_key: str]) "
                    "with no NUL characters in the keys");
      continue;
    }
    void* slot = batch->SlotOf(i);
    kinesis_status status =
        kinesis_producer_try_put(producer_, stream.c_str(), key, data, static_cast<size_t>(size),
                                 hash_key, &PutBatch::OnResult, slot);
    if (status == KINESIS_RESOURCE_EXHAUSTED) {
      py::gil_scoped_release release;
      status = kinesis_producer_put(producer_, stream.c_str(), key, data, static_cast<size_t>(size),
                                    hash_key, &PutBatch::OnResult, slot);
    }
    if (status != KINESIS_OK) batch->Refuse(i, status, kinesis_last_error_message());
  }
  batch->Seal();
}

std::unique_ptr<Completion> NativeProducer::NewRecordEntry() {
  std::unique_ptr<Completion> entry;
  if (spare_.empty()) {
    entry = std::make_unique<Completion>();
  } else {
    entry = std::move(spare_.back());
    spare_.pop_back();
  }
  entry->kind = Completion::Kind::kRecord;
  entry->queue = &completions_;
  return entry;
}

void NativeProducer::Recycle(std::unique_ptr<Completion> entry) {
  if (spare_.size() == kMaxSpare) return;  // freed
  entry->future = nullptr;
  entry->batch.reset();
  spare_.push_back(std::move(entry));
}

void NativeProducer::Barrier(py::handle future) {
  auto entry = std::make_unique<Completion>();
  entry->future = future.inc_ref().ptr();
  completions_.Push(std::move(entry));
}

py::tuple NativeProducer::Resolve(size_t max, int64_t timeout_ms) {
  // Waiting without the GIL, released by hand rather than by py::gil_scoped_release: when the
  // interpreter finalizes, Python ends a daemon thread that takes the GIL back with
  // pthread_exit, and that unwinding must not cross a noexcept destructor (std::terminate).
  std::vector<std::unique_ptr<Completion>> done;
  PyThreadState* state = PyEval_SaveThread();
  try {
    done = completions_.Pop(max, timeout_ms);
  } catch (...) {
    PyEval_RestoreThread(state);
    throw;
  }
  PyEval_RestoreThread(state);
  // Each entry's reference moves into a py::object at once, so none leaks if a conversion
  // below throws.
  std::vector<py::object> futures;
  futures.reserve(done.size());
  for (auto& entry : done) {
    futures.push_back(py::reinterpret_steal<py::object>(static_cast<PyObject*>(entry->future)));
  }
  py::list left;
  PutResultMaker results;
  for (size_t i = 0; i < done.size(); ++i) {
    if (i + kPrefetchAhead < done.size()) {
      Prefetch(*done[i + kPrefetchAhead], futures[i + kPrefetchAhead].ptr());
    }
    Completion& entry = *done[i];
    // Made before TryFinish: they may run Python code (and so let other threads run), the
    // finish itself does not.
    py::object value = py::none();
    py::object error = py::none();
    if (entry.kind == Completion::Kind::kRecord) {
      value = py::reinterpret_steal<py::object>(results.Make(entry.record.result));
      if (!value) throw py::error_already_set();
      if (!entry.record.result.success) {
        error = py::reinterpret_borrow<py::object>(record_failed_error)(value);
        value = py::none();
      }
    } else if (entry.kind == Completion::Kind::kBatch) {
      value = py::reinterpret_borrow<py::object>(put_results)(py::cast(std::move(entry.batch)));
    }
    switch (RecordFuture::TryFinish(futures[i].ptr(), value.ptr(), error.ptr())) {
      case RecordFuture::Finish::kDone:
        break;
      case RecordFuture::Finish::kRunCallbacks:
        left.append(py::make_tuple(futures[i]));
        break;
      case RecordFuture::Finish::kWaitedOn:
        left.append(py::make_tuple(futures[i], value, error));
        break;
    }
    Recycle(std::move(done[i]));  // while its memory is still in the cache
  }
  return py::make_tuple(done.size(), left);
}

bool NativeProducer::Flush(const std::optional<std::string>& stream, int64_t timeout_ms) {
  kinesis_status status;
  {
    py::gil_scoped_release release;
    status = kinesis_producer_flush(producer_, stream ? stream->c_str() : nullptr, timeout_ms);
  }
  if (status == KINESIS_DEADLINE_EXCEEDED) return false;
  Check(status);
  return true;
}

bool NativeProducer::Close(int64_t timeout_ms) {
  kinesis_status status;
  {
    py::gil_scoped_release release;
    status = kinesis_producer_close(producer_, timeout_ms);
  }
  if (status == KINESIS_FAILED_PRECONDITION) RaiseLastError();
  return status == KINESIS_OK;
}

std::string NativeProducer::MetricsJson(int window_seconds) {
  char* json = nullptr;
  Check(kinesis_producer_metrics_json(producer_, window_seconds, &json));
  std::string text(json);
  kinesis_string_free(json);
  return text;
}

}  // namespace kinesis::python
