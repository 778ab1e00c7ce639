#include "native_producer.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include "put_batch.h"

namespace py = pybind11;

namespace kinesis::python {
namespace {

// kinesis_producer._native.KinesisError, set by the module.
PyObject* error_type = nullptr;

void Check(kinesis_status status) {
  if (status != KINESIS_OK) RaiseLastError();
}

[[noreturn]] void RaiseInvalid(const char* message) {
  PyErr_SetObject(error_type, py::make_tuple("InvalidArgument", message).ptr());
  throw py::error_already_set();
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

}  // namespace

void SetErrorType(PyObject* type) { error_type = type; }

void RaiseLastError() {
  py::tuple args = py::make_tuple(kinesis_status_name(kinesis_last_error_code()),
                                  std::string(kinesis_last_error_message()));
  PyErr_SetObject(error_type, args.ptr());
  throw py::error_already_set();
}

py::tuple ResultTuple(const kinesis_result& r) { return ResultTupleMaker().Make(r); }

py::object ResultTupleMaker::Shared(const char* text, Last& last) {
  if (!last.str || last.text != text) {
    last.text = text;
    last.str = py::str(text);
  }
  return last.str;
}

py::tuple ResultTupleMaker::Make(const kinesis_result& r) {
  return py::make_tuple(r.success != 0, Shared(r.shard_id, shard_),
                        Shared(r.sequence_number, sequence_), r.sub_sequence_number,
                        r.aggregated != 0, r.error_code, r.error_message, r.attempts);
}

NativeProducer::NativeProducer(const std::optional<std::string>& properties,
                               const std::vector<std::pair<std::string, std::string>>& settings) {
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
  // Every callback has run: what nobody polled only needs its reference dropped.
  for (auto& entry : completions_.TakeAll()) Py_XDECREF(static_cast<PyObject*>(entry->future));
}

void NativeProducer::Put(py::handle stream, py::handle partition_key, py::handle data,
                         py::handle explicit_hash_key, py::handle future) {
  const char* stream_name = Utf8(stream.ptr());
  if (stream_name == nullptr) RaiseInvalid("the stream name is not a str without NUL characters");
  const char* key = Utf8(partition_key.ptr());
  if (key == nullptr) RaiseInvalid("the partition key is not a str without NUL characters");
  const char* hash_key = nullptr;
  if (!explicit_hash_key.is_none()) {
    hash_key = Utf8(explicit_hash_key.ptr());
    if (hash_key == nullptr) {
      RaiseInvalid("the explicit hash key is not a str without NUL characters");
    }
  }
  char* bytes = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(data.ptr(), &bytes, &size) != 0) throw py::error_already_set();

  // Owned by the engine once the put succeeds (OnRecordResult pushes it), else by us.
  auto* entry = new Completion;
  entry->kind = Completion::Kind::kRecord;
  entry->queue = &completions_;
  entry->future = future.inc_ref().ptr();
  // With room in the buffer budget the put takes a microsecond or two and never waits, so it
  // runs with the GIL held: releasing it would hand it to another thread on every record
  // (measured: docs/performance.md). Only a put that must wait for room releases it.
  kinesis_status status =
      kinesis_producer_try_put(producer_, stream_name, key, bytes, static_cast<size_t>(size),
                               hash_key, &Completion::OnRecordResult, entry);
  if (status == KINESIS_RESOURCE_EXHAUSTED) {
    // The bytes and str objects are immutable and held by the caller, so reading them without
    // the GIL is safe.
    py::gil_scoped_release release;
    status = kinesis_producer_put(producer_, stream_name, key, bytes, static_cast<size_t>(size),
                                  hash_key, &Completion::OnRecordResult, entry);
  }
  if (status != KINESIS_OK) {
    future.dec_ref();
    delete entry;
    RaiseLastError();
  }
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

void NativeProducer::Barrier(py::handle future) {
  auto entry = std::make_unique<Completion>();
  entry->future = future.inc_ref().ptr();
  completions_.Push(std::move(entry));
}

py::list NativeProducer::Poll(size_t max, int64_t timeout_ms) {
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
  py::list out(done.size());
  ResultTupleMaker results;
  for (size_t i = 0; i < done.size(); ++i) {
    Completion& entry = *done[i];
    py::object payload = py::none();
    if (entry.kind == Completion::Kind::kRecord) {
      payload = results.Make(entry.record.result);
    } else if (entry.kind == Completion::Kind::kBatch) {
      payload = py::cast(std::move(entry.batch));
    }
    out[i] = py::make_tuple(std::move(futures[i]), std::move(payload));
  }
  return out;
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
