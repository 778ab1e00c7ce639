// ResultQueue: the results of records put without a callback, waiting for kinesis_producer_poll.
// Also how a PutResult is shown to C (FillResult).
//
// Thread safety: Push runs on the producer's callback thread, Poll on any caller's; both take
// mu_. Results handed out by Poll belong to the caller until ReleaseResults.
#ifndef KINESIS_CAPI_RESULT_QUEUE_H_
#define KINESIS_CAPI_RESULT_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

#include "kinesis/c/producer.h"
#include "kinesis/producer.h"

namespace kinesis::capi {

// Points the fields of `out` at `result`'s strings: valid while `result` is.
void FillResult(const PutResult& result, void* user_data, kinesis_result* out);

class ResultQueue {
 public:
  void Push(PutResult result, void* user_data);

  // Moves up to `max` results into `out` (each owning its strings through `internal`), waiting
  // up to `timeout_ms` (negative: for ever) for the first; returns how many.
  size_t Poll(kinesis_result* out, size_t max, int64_t timeout_ms);

  // Frees what polled results own.
  static void ReleaseResults(kinesis_result* results, size_t n);

 private:
  struct Entry {
    PutResult result;
    void* user_data;
  };

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Entry> entries_;  // guarded by mu_
};

}  // namespace kinesis::capi

#endif  // KINESIS_CAPI_RESULT_QUEUE_H_
