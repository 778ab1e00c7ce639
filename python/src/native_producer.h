// NativeProducer: the C API's producer for the package's Producer (kinesis_producer/__init__.py).
// Records carry their Python future down to the engine as an owned reference; results come back
// through a CompletionQueue that the package's completion thread drains with Poll, so the
// engine's threads never take the GIL.
//
// Thread safety: every method may be called from any Python thread with the GIL held; methods
// that wait release it while they wait.
#ifndef KINESIS_PYTHON_NATIVE_PRODUCER_H_
#define KINESIS_PYTHON_NATIVE_PRODUCER_H_

#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "completion_queue.h"
#include "kinesis/c/producer.h"

namespace kinesis::python {

// Raises kinesis_producer.KinesisError (code name, message) from the calling thread's last C API
// error.
[[noreturn]] void RaiseLastError();
void SetErrorType(PyObject* type);

// (success, shard_id, sequence_number, sub_sequence_number, aggregated, error_code,
// error_message, attempts): the arguments of the package's PutResult.
pybind11::tuple ResultTuple(const kinesis_result& r);

// Makes many ResultTuples, reusing the str of the previous shard id and sequence number when
// they repeat: the records of one aggregate share both.
class ResultTupleMaker {
 public:
  pybind11::tuple Make(const kinesis_result& r);

 private:
  struct Last {
    std::string text;
    pybind11::object str;
  };
  static pybind11::object Shared(const char* text, Last& last);

  Last shard_;
  Last sequence_;
};

class NativeProducer {
 public:
  // `properties`: a KPL .properties file applied before `settings` (KPL key, value).
  NativeProducer(const std::optional<std::string>& properties,
                 const std::vector<std::pair<std::string, std::string>>& settings);
  ~NativeProducer();  // closes (waits for the engine, GIL released), drops unpolled results
  NativeProducer(const NativeProducer&) = delete;
  NativeProducer& operator=(const NativeProducer&) = delete;

  // Puts a record (stream, partition_key, explicit_hash_key: str or None; data: bytes) whose
  // result comes out of Poll with `future`. Raises KinesisError when the record is refused.
  void Put(pybind11::handle stream, pybind11::handle partition_key, pybind11::handle data,
           pybind11::handle explicit_hash_key, pybind11::handle future);

  // Puts every (data: bytes, partition_key: str[, explicit_hash_key: str]) of `records`; the
  // batch comes out of Poll with `future` once each record has its result. A record refused at
  // put gets a failed result with the refusal's code instead of an exception, so the batch
  // always has one result per record.
  void PutMany(const std::string& stream, const pybind11::list& records, pybind11::handle future);

  // Queues `future` behind every result queued so far: Poll gives it (with None) after them.
  void Barrier(pybind11::handle future);

  // Up to `max` (future, payload) pairs in the order their results came: payload is a
  // ResultTuple for a record, BatchResults for a put_many, None for a barrier. Waits up to
  // `timeout_ms` for the first.
  pybind11::list Poll(size_t max, int64_t timeout_ms);

  // True when every record put before has its result queued; false when `timeout_ms` passed
  // first.
  bool Flush(const std::optional<std::string>& stream, int64_t timeout_ms);

  // True when nothing had to be failed with ProducerClosed.
  bool Close(int64_t timeout_ms);

  std::string MetricsJson(int window_seconds);
  uint64_t Outstanding() const { return kinesis_producer_outstanding(producer_); }

 private:
  kinesis_producer* producer_ = nullptr;
  CompletionQueue completions_;
};

}  // namespace kinesis::python

#endif  // KINESIS_PYTHON_NATIVE_PRODUCER_H_
