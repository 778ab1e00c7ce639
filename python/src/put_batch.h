// PutBatch: many records put in one call from Python, completed together. The engine's callback
// thread fills each record's slot (no GIL); the last one hands the batch to the BatchQueue, which
// the package's batch completion thread waits on with the GIL released. One Python future per
// batch instead of one per record: the per-record cost from Python is one loop step in C++.
//
// Thread safety: slots are written once each by the callback thread (or by the putting thread
// for records refused at put) and read only after the batch is complete; `remaining_` is atomic.
// BatchQueue is guarded by its mutex.
#ifndef KINESIS_PYTHON_PUT_BATCH_H_
#define KINESIS_PYTHON_PUT_BATCH_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kinesis/c/producer.h"

namespace kinesis::python {

// One record's result: the C API's kinesis_result, with its strings copied into `text` (one
// allocation) and its pointers moved there.
struct BatchResult {
  kinesis_result result{};
  std::string text;
};

class BatchQueue;

class PutBatch : public std::enable_shared_from_this<PutBatch> {
 public:
  // A batch of `size` records, handed to `queue` with `token` once every record has a result.
  PutBatch(size_t size, uint64_t token, BatchQueue& queue);

  // The C API's user_data and callback for record `index`.
  void* SlotOf(size_t index) { return &slots_[index]; }
  static void OnResult(const kinesis_result* result, void* user_data);

  // Record `index` was refused at put: its result is the refusal.
  void Refuse(size_t index, kinesis_status status, const char* message);

  // After every record was offered: the batch may complete from here on. Keeps itself alive
  // until then.
  void Seal();

  uint64_t token() const { return token_; }
  size_t size() const { return results_.size(); }
  const kinesis_result& result(size_t index) const { return results_[index].result; }
  size_t failed() const;

 private:
  struct Slot {
    PutBatch* batch;
    size_t index;
  };
  // Copies `result` into results_[index].
  void Fill(size_t index, const kinesis_result& result);
  void Done();

  const uint64_t token_;
  BatchQueue& queue_;
  std::vector<BatchResult> results_;
  std::vector<Slot> slots_;
  // Records without a result, plus one until Seal (so the batch cannot complete while records
  // are still being put).
  std::atomic<size_t> remaining_;
  std::shared_ptr<PutBatch> self_;  // set by Seal, cleared when complete
};

class BatchQueue {
 public:
  void Push(std::shared_ptr<PutBatch> batch);
  // Up to `max` completed batches, waiting up to `timeout_ms` for the first.
  std::vector<std::shared_ptr<PutBatch>> Pop(size_t max, int64_t timeout_ms);

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<PutBatch>> done_;  // guarded by mu_
};

}  // namespace kinesis::python

#endif  // KINESIS_PYTHON_PUT_BATCH_H_
