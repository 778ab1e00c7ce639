// kinesis_producer._native: the C API (include/kinesis/c/producer.h) for Python, with the GIL
// released around every call that waits. The Python package (kinesis_producer/__init__.py)
// builds the user-facing Producer on top: futures, asyncio, and a completion thread that takes
// results with NativeProducer.resolve, which finishes their futures in C++.
//
// Thread safety: every function may be called from any Python thread. Results are polled (no
// callbacks from the engine's threads into Python), so the GIL is only taken by Python threads.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kinesis/c/producer.h"
#include "native_producer.h"
#include "put_batch.h"
#include "put_result.h"
#include "record_future.h"

namespace py = pybind11;
using kinesis::python::NativeProducer;
using kinesis::python::PutBatch;
using kinesis::python::RecordFuture;

namespace {

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
  if (status != KINESIS_OK) kinesis::python::RaiseLastError();
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
  PyObject* error_type =
      PyErr_NewException("kinesis_producer._native.KinesisError", PyExc_Exception, nullptr);
  kinesis::python::SetErrorType(error_type);
  m.attr("KinesisError") = py::handle(error_type);
  m.attr("version") = kinesis_version();
  PyObject* put_result = kinesis::python::MakePutResultType();
  if (put_result == nullptr) throw py::error_already_set();
  m.attr("PutResult") = py::reinterpret_steal<py::object>(put_result);
  py::class_<PutBatch, std::shared_ptr<PutBatch>>(m, "BatchResults")
      .def("__len__", &PutBatch::size)
      .def("get",
           [](const PutBatch& b, size_t i) {
             if (i >= b.size()) throw py::index_error();
             PyObject* r = kinesis::python::PutResultMaker().Make(b.result(i));
             if (r == nullptr) throw py::error_already_set();
             return py::reinterpret_steal<py::object>(r);
           })
      .def_property_readonly("failed", &PutBatch::failed);
  // The package's classes, bound once when it is imported.
  m.def("bind", [](py::handle future_class, py::handle running, py::handle finished,
                   py::handle record_failed_error, py::handle put_results) {
    RecordFuture::Bind(future_class, running, finished);
    kinesis::python::SetResultClasses(record_failed_error, put_results);
  });
  m.def("add_callback", &RecordFuture::AddCallback);
  m.def("attach_condition", &RecordFuture::AttachCondition);
  py::class_<NativeProducer>(m, "NativeProducer")
      .def(py::init<const std::optional<std::string>&,
                    const std::vector<std::pair<std::string, std::string>>&, bool, bool>(),
           py::arg("properties"), py::arg("settings"), py::arg("route_logs") = false,
           py::arg("stats") = false)
      .def("put_function",
           [](py::handle self, py::object default_stream) {
             return self.cast<NativeProducer&>().PutFunction(self, std::move(default_stream));
           })
      .def("put_many", &NativeProducer::PutMany)
      .def("barrier", &NativeProducer::Barrier)
      .def("resolve", &NativeProducer::Resolve)
      .def("flush", &NativeProducer::Flush)
      .def("close", &NativeProducer::Close)
      .def("metrics_json", &NativeProducer::MetricsJson)
      .def("outstanding", &NativeProducer::Outstanding)
      .def("counter_add", &NativeProducer::CounterAdd)
      .def("histogram_record", &NativeProducer::HistogramRecord)
      .def("log", &NativeProducer::Log)
      .def("config_json", &NativeProducer::ConfigJson)
      .def("take_events", [](NativeProducer& p, size_t max,
                             int64_t timeout_ms) { return p.events().Take(max, timeout_ms); })
      .def("events_dropped", [](NativeProducer& p) { return p.events().dropped(); });
  m.def("deaggregate", &Deaggregate);
}
