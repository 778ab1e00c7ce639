#include "put_batch.h"

#include <utility>

namespace kinesis::python {

PutBatch::PutBatch(size_t size, std::unique_ptr<Completion> done)
    : done_(std::move(done)), results_(size), slots_(size), remaining_(size + 1) {
  for (size_t i = 0; i < size; ++i) slots_[i] = {this, i};
}

void PutBatch::OnResult(const kinesis_result* result, void* user_data) {
  auto* slot = static_cast<Slot*>(user_data);
  slot->batch->results_[slot->index].Fill(*result);
  slot->batch->Done();
}

void PutBatch::Refuse(size_t index, kinesis_status status, const char* message) {
  kinesis_result refused{};
  refused.user_data = SlotOf(index);
  refused.shard_id = "";
  refused.sequence_number = "";
  refused.error_code = kinesis_status_name(status);
  refused.error_message = message;
  results_[index].Fill(refused);
  Done();
}

void PutBatch::Seal() {
  self_ = shared_from_this();
  Done();
}

void PutBatch::Done() {
  if (remaining_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  // The last result: every slot is written, and this thread now owns the batch.
  std::unique_ptr<Completion> done = std::move(done_);
  done->kind = Completion::Kind::kBatch;
  done->batch = std::move(self_);
  CompletionQueue* queue = done->queue;
  queue->Push(std::move(done));
}

size_t PutBatch::failed() const {
  size_t n = 0;
  for (const RecordResult& r : results_) n += r.result.success ? 0 : 1;
  return n;
}

}  // namespace kinesis::python
