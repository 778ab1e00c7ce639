// NativeProducer: the C API's producer for the package's Producer (kinesis_producer/__init__.py).
// Records carry their Python future down to the engine as an owned reference; results come back
// through a CompletionQueue that the package's completion thread drains with Resolve, so the
// engine's threads never take the GIL.
//
// Thread safety: every method may be called from any Python thread with the GIL held; methods
// that wait release it while they wait.
#ifndef KINESIS_PYTHON_NATIVE_PRODUCER_H_
#define KINESIS_PYTHON_NATIVE_PRODUCER_H_

#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "completion_queue.h"
#include "event_queue.h"
#include "kinesis/c/producer.h"

namespace kinesis::python {

// Raises kinesis_producer.KinesisError (code name, message) from the calling thread's last C API
// error.
[[noreturn]] void RaiseLastError();
void SetErrorType(PyObject* type);

// The package's classes the completion path makes results with: RecordFailedError(result) for
// a failed record, PutResults(batch) for a put_many.
void SetResultClasses(pybind11::handle record_failed_error, pybind11::handle put_results);

using MetricDimensionList = std::vector<std::pair<std::string, std::string>>;

class NativeProducer {
 public:
  // `properties`: a KPL .properties file applied before `settings` (KPL key, value).
  // `route_logs`: the producer's log lines go to events() (for `logging`) instead of stderr;
  // `stats`: its statistics documents (StatsInterval) go there too.
  NativeProducer(const std::optional<std::string>& properties,
                 const std::vector<std::pair<std::string, std::string>>& settings,
                 bool route_logs = false, bool stats = false);
  ~NativeProducer();  // closes (waits for the engine, GIL released), drops results not resolved
  NativeProducer(const NativeProducer&) = delete;
  NativeProducer& operator=(const NativeProducer&) = delete;

  // Producer.put as a function of Python: put(data, partition_key, explicit_hash_key=None,
  // stream=None) puts a record (data: bytes, or str as UTF-8, or what bytes() takes; stream
  // None: `default_stream`) and returns its future (a RecordFuture), which Resolve finishes.
  // Raises KinesisError when the record is refused. A C function (no pybind11 dispatch): it
  // holds the GIL for the whole put but for a wait for room in the buffer budget.
  pybind11::object PutFunction(pybind11::handle self, pybind11::object default_stream);
  // That function's body: a vectorcall's arguments; a new reference to the future, or nullptr
  // with a Python error set.
  PyObject* Put(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
                PyObject* default_stream);

  // Puts every (data: bytes, partition_key: str[, explicit_hash_key: str]) of `records`; the
  // batch comes out of Resolve with `future` once each record has its result. A record refused at
  // put gets a failed result with the refusal's code instead of an exception, so the batch
  // always has one result per record.
  void PutMany(const std::string& stream, const pybind11::list& records, pybind11::handle future);

  // Queues `future` behind every result queued so far: Resolve finishes it (with None) after
  // them.
  void Barrier(pybind11::handle future);

  // Takes up to `max` results in the order they came, waiting up to `timeout_ms` (GIL
  // released) for the first, and finishes their futures: with a PutResult (a record that
  // succeeded), RecordFailedError (one that failed), PutResults (a put_many) or None (a
  // barrier). Returns (how many it took, what is left for Python, in order): (future, value,
  // error) for a future a thread waits on (finish it with Future.set_result or set_exception),
  // (future,) for a finished one whose callbacks must run.
  pybind11::tuple Resolve(size_t max, int64_t timeout_ms);

  // True when every record put before has its result queued; false when `timeout_ms` passed
  // first.
  bool Flush(const std::optional<std::string>& stream, int64_t timeout_ms);

  // True when nothing had to be failed with ProducerClosed.
  bool Close(int64_t timeout_ms);

  std::string MetricsJson(int window_seconds);

  // Monitoring (native_monitoring.cc, over kinesis/c/monitoring.h); each raises KinesisError
  // naming the value and the limit. n = 0 registers the counter's series without recording.
  void CounterAdd(const std::string& name, const MetricDimensionList& dimensions, uint64_t n);
  void HistogramRecord(const std::string& name, const MetricDimensionList& dimensions,
                       const std::string& unit, double value);
  void Log(int level, const std::string& message, const MetricDimensionList& fields);
  std::string ConfigJson() const;
  EventQueue& events() { return events_; }
  uint64_t Outstanding() const { return kinesis_producer_outstanding(producer_); }

 private:
  // Entries of finished results, kept (up to kMaxSpare) for the next puts: taken and returned
  // under the GIL, they save an allocation on the putting thread and a free on the completion
  // thread (into another thread's heap) per record. At most about 4 MB kept.
  std::unique_ptr<Completion> NewRecordEntry();
  void Recycle(std::unique_ptr<Completion> entry);
  static constexpr size_t kMaxSpare = 16384;

  EventQueue events_;  // before producer_'s end (the destructor): its callbacks use it
  kinesis_producer* producer_ = nullptr;
  CompletionQueue completions_;
  std::vector<std::unique_ptr<Completion>> spare_;  // guarded by the GIL
};

}  // namespace kinesis::python

#endif  // KINESIS_PYTHON_NATIVE_PRODUCER_H_
