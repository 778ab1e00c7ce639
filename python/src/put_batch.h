// PutBatch: many records put in one call from Python, completed together. The engine's callback
// thread fills each record's slot (no GIL); the last one pushes the batch to the
// CompletionQueue, whose entry carries the batch's future to the package's completion thread.
// One Python future per batch instead of one per record: the per-record cost from Python is one
// loop step in C++.
//
// Thread safety: slots are written once each by the callback thread (or by the putting thread
// for records refused at put) and read only after the batch is complete; `remaining_` is atomic.
#ifndef KINESIS_PYTHON_PUT_BATCH_H_
#define KINESIS_PYTHON_PUT_BATCH_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

#include "completion_queue.h"
#include "kinesis/c/producer.h"

namespace kinesis::python {

class PutBatch : public std::enable_shared_from_this<PutBatch> {
 public:
  // A batch of `size` records; `done` (its future and queue set) is pushed once every record
  // has a result.
  PutBatch(size_t size, std::unique_ptr<Completion> done);

  // The C API's user_data and callback for record `index`.
  void* SlotOf(size_t index) { return &slots_[index]; }
  static void OnResult(const kinesis_result* result, void* user_data);

  // Record `index` was refused at put: its result is the refusal.
  void Refuse(size_t index, kinesis_status status, const char* message);

  // After every record was offered: the batch may complete from here on. Keeps itself alive
  // until then.
  void Seal();

  size_t size() const { return results_.size(); }
  const kinesis_result& result(size_t index) const { return results_[index].result; }
  size_t failed() const;

 private:
  struct Slot {
    PutBatch* batch;
    size_t index;
  };
  void Done();

  std::unique_ptr<Completion> done_;  // pushed, holding the batch, by the last Done
  std::vector<RecordResult> results_;
  std::vector<Slot> slots_;
  // Records without a result, plus one until Seal (so the batch cannot complete while records
  // are still being put).
  std::atomic<size_t> remaining_;
  std::shared_ptr<PutBatch> self_;  // set by Seal, cleared when complete
};

}  // namespace kinesis::python

#endif  // KINESIS_PYTHON_PUT_BATCH_H_
