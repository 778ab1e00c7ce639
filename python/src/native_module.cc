// kinesis_producer._native: the C API (include/kinesis/c/producer.h) for Python, with the GIL
// released around every call that waits or does the engine's work. The Python package
// (kinesis_producer/__init__.py) builds the user-facing Producer on top: futures, asyncio, a
// completion thread that polls results here.
//
// Thread safety: every method may be called from any Python thread. Results are polled (no
// callbacks from the engine's threads into Python), so the GIL is only taken by Python threads.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kinesis/c/producer.h"
#include "put_batch.h"

namespace py = pybind11;
using kinesis::python::BatchQueue;
using kinesis::python::PutBatch;

namespace {

// The exception the package re-exports as kinesis_producer.KinesisError: args are
// (code name, message).
PyObject* error_type = nullptr;

[[noreturn]] void RaiseLastError() {
  py::tuple args = py::make_tuple(kinesis_status_name(kinesis_last_error_code()),
                                  std::string(kinesis_last_error_message()));
  PyErr_SetObject(error_type, args.ptr());
  throw py::error_already_set();
}

void Check(kinesis_status status) {
  if (status != KINESIS_OK) RaiseLastError();
}

// (success, shard_id, sequence_number, sub_sequence_number, aggregated, error_code,
// error_message, attempts): the arguments of the package's PutResult.
py::tuple ResultTuple(const kinesis_result& r) {
  return py::make_tuple(r.success != 0, r.shard_id, r.sequence_number, r.sub_sequence_number,
                        r.aggregated != 0, r.error_code, r.error_message, r.attempts);
}

class NativeProducer {
 public:
  // `properties`: a KPL .properties file applied before `settings` (KPL key, value).
  NativeProducer(const std::optional<std::string>& properties,
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

  ~NativeProducer() {
    py::gil_scoped_release release;  // closing waits for the engine
    kinesis_producer_free(producer_);
  }

  NativeProducer(const NativeProducer&) = delete;
  NativeProducer& operator=(const NativeProducer&) = delete;

  // Puts a record whose result will come out of Poll with `token`. With room in the buffer
  // budget the put takes about a microsecond and never waits, so it runs with the GIL held:
  // releasing and taking the GIL back would cost more than the call, and hand the GIL to the
  // completion thread on every record (measured: docs/python.md). Only when it would wait for
  // room is the GIL released; the bytes object is immutable and held by the caller, so reading
  // it without the GIL is safe.
  void Put(const std::string& stream, const std::string& partition_key, const py::bytes& data,
           const std::optional<std::string>& explicit_hash_key, uint64_t token) {
    char* bytes = nullptr;
    Py_ssize_t size = 0;
    if (PyBytes_AsStringAndSize(data.ptr(), &bytes, &size) != 0) throw py::error_already_set();
    const char* hash_key = explicit_hash_key ? explicit_hash_key->c_str() : nullptr;
    void* user_data = reinterpret_cast<void*>(static_cast<uintptr_t>(token));
    kinesis_status status =
        kinesis_producer_try_put(producer_, stream.c_str(), partition_key.c_str(), bytes,
                                 static_cast<size_t>(size), hash_key, nullptr, user_data);
    if (status == KINESIS_RESOURCE_EXHAUSTED) {
      py::gil_scoped_release release;
      status = kinesis_producer_put(producer_, stream.c_str(), partition_key.c_str(), bytes,
                                    static_cast<size_t>(size), hash_key, nullptr, user_data);
    }
    Check(status);
  }

  // Puts every (data: bytes, partition_key: str[, explicit_hash_key: str]) of `records`; the
  // batch comes out of PollBatches with `token` once each record has its result. A record
  // refused at put gets a failed result with the refusal's code (InvalidArgument,
  // ResourceExhausted, FailedPrecondition...) instead of an exception, so the batch always has
  // one result per record. The loop runs with the GIL held, released only to wait for room.
  void PutMany(const std::string& stream, const py::list& records, uint64_t token) {
    auto batch = std::make_shared<kinesis::python::PutBatch>(records.size(), token, batches_);
    for (size_t i = 0; i < records.size(); ++i) {
      PyObject* item = PyList_GET_ITEM(records.ptr(), static_cast<Py_ssize_t>(i));
      const char* data = nullptr;
      const char* key = nullptr;
      const char* hash_key = nullptr;
      Py_ssize_t size = 0;
      if (!RecordFields(item, &data, &size, &key, &hash_key)) {
        PyErr_Clear();
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
        status =
            kinesis_producer_put(producer_, stream.c_str(), key, data, static_cast<size_t>(size),
                                 hash_key, &PutBatch::OnResult, slot);
      }
      if (status != KINESIS_OK) batch->Refuse(i, status, kinesis_last_error_message());
    }
    batch->Seal();
  }

  // Up to `max` completed batches as (token, BatchResults), waiting up to `timeout_ms`.
  py::list PollBatches(size_t max, int64_t timeout_ms) {
    std::vector<std::shared_ptr<kinesis::python::PutBatch>> done;
    {
      py::gil_scoped_release release;
      done = batches_.Pop(max, timeout_ms);
    }
    py::list out(done.size());
    for (size_t i = 0; i < done.size(); ++i) {
      out[i] = py::make_tuple(done[i]->token(), py::cast(done[i]));
    }
    return out;
  }

  // Up to `max` results as (token, ResultTuple), waiting up to `timeout_ms` for the first.
  py::list Poll(size_t max, int64_t timeout_ms) {
    std::vector<kinesis_result> results(max);
    size_t n;
    {
      py::gil_scoped_release release;
      n = kinesis_producer_poll(producer_, results.data(), max, timeout_ms);
    }
    py::list out(n);
    for (size_t i = 0; i < n; ++i) {
      auto token = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(results[i].user_data));
      out[i] = py::make_tuple(token, ResultTuple(results[i]));
    }
    kinesis_results_release(results.data(), n);
    return out;
  }

  // True when every record put before has its result; false when `timeout_ms` passed first.
  bool Flush(const std::optional<std::string>& stream, int64_t timeout_ms) {
    kinesis_status status;
    {
      py::gil_scoped_release release;
      status = kinesis_producer_flush(producer_, stream ? stream->c_str() : nullptr, timeout_ms);
    }
    if (status == KINESIS_DEADLINE_EXCEEDED) return false;
    Check(status);
    return true;
  }

  // True when nothing had to be failed with ProducerClosed.
  bool Close(int64_t timeout_ms) {
    kinesis_status status;
    {
      py::gil_scoped_release release;
      status = kinesis_producer_close(producer_, timeout_ms);
    }
    if (status == KINESIS_FAILED_PRECONDITION) RaiseLastError();
    return status == KINESIS_OK;
  }

  std::string MetricsJson(int window_seconds) {
    char* json = nullptr;
    Check(kinesis_producer_metrics_json(producer_, window_seconds, &json));
    std::string text(json);
    kinesis_string_free(json);
    return text;
  }

  uint64_t Outstanding() const { return kinesis_producer_outstanding(producer_); }

 private:
  // The fields of one record of PutMany; false (with a Python error set) when malformed.
  static bool RecordFields(PyObject* item, const char** data, Py_ssize_t* size, const char** key,
                           const char** hash_key) {
    if (!PyTuple_Check(item)) return false;
    Py_ssize_t n = PyTuple_GET_SIZE(item);
    if (n < 2 || n > 3) return false;
    char* bytes = nullptr;
    if (PyBytes_AsStringAndSize(PyTuple_GET_ITEM(item, 0), &bytes, size) != 0) return false;
    *data = bytes;
    *key = Utf8(PyTuple_GET_ITEM(item, 1));
    if (*key == nullptr) return false;
    if (n == 3 && PyTuple_GET_ITEM(item, 2) != Py_None) {
      *hash_key = Utf8(PyTuple_GET_ITEM(item, 2));
      if (*hash_key == nullptr) return false;
    }
    return true;
  }

  // The UTF-8 of a str (cached by Python, NUL-terminated), or nullptr when it is not a str or
  // holds a NUL the C API could not see.
  static const char* Utf8(PyObject* text) {
    Py_ssize_t size = 0;
    const char* utf8 = PyUnicode_Check(text) ? PyUnicode_AsUTF8AndSize(text, &size) : nullptr;
    if (utf8 == nullptr || std::strlen(utf8) != static_cast<size_t>(size)) return nullptr;
    return utf8;
  }

  kinesis_producer* producer_ = nullptr;
  BatchQueue batches_;  // completed PutMany calls, for PollBatches
};

// The user records of one Kinesis record as tuples (partition_key, explicit_hash_key or None,
// data, sub_sequence_number, aggregated).
py::list Deaggregate(const py::bytes& data, const std::string& partition_key,
                     const std::optional<std::string>& explicit_hash_key) {
  char* bytes = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(data.ptr(), &bytes, &size) != 0) throw py::error_already_set();
  kinesis_user_record* records = nullptr;
  size_t count = 0;
  kinesis_status status;
  {
    py::gil_scoped_release release;
    status = kinesis_deaggregate(bytes, static_cast<size_t>(size), partition_key.c_str(),
                                 explicit_hash_key ? explicit_hash_key->c_str() : nullptr, &records,
                                 &count);
  }
  Check(status);
  py::list out(count);
  for (size_t i = 0; i < count; ++i) {
    const kinesis_user_record& r = records[i];
    py::object hash_key = py::none();
    if (r.explicit_hash_key != nullptr) {
      hash_key = py::str(r.explicit_hash_key, r.explicit_hash_key_size);
    }
    out[i] = py::make_tuple(py::str(r.partition_key, r.partition_key_size), hash_key,
                            py::bytes(static_cast<const char*>(r.data), r.data_size),
                            r.sub_sequence_number, r.aggregated != 0);
  }
  kinesis_user_records_free(records);
  return out;
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "kinesis-producer's engine through its C API (use the kinesis_producer package)";
  error_type =
      PyErr_NewException("kinesis_producer._native.KinesisError", PyExc_Exception, nullptr);
  m.attr("KinesisError") = py::handle(error_type);
  m.attr("version") = kinesis_version();
  py::class_<PutBatch, std::shared_ptr<PutBatch>>(m, "BatchResults")
      .def("__len__", &PutBatch::size)
      .def("get",
           [](const PutBatch& b, size_t i) {
             if (i >= b.size()) throw py::index_error();
             return ResultTuple(b.result(i));
           })
      .def_property_readonly("failed", &PutBatch::failed);
  py::class_<NativeProducer>(m, "NativeProducer")
      .def(py::init<const std::optional<std::string>&,
                    const std::vector<std::pair<std::string, std::string>>&>())
      .def("put", &NativeProducer::Put)
      .def("poll", &NativeProducer::Poll)
      .def("put_many", &NativeProducer::PutMany)
      .def("poll_batches", &NativeProducer::PollBatches)
      .def("flush", &NativeProducer::Flush)
      .def("close", &NativeProducer::Close)
      .def("metrics_json", &NativeProducer::MetricsJson)
      .def("outstanding", &NativeProducer::Outstanding);
  m.def("deaggregate", &Deaggregate);
}
