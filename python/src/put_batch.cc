#include "put_batch.h"

#include <chrono>
#include <utility>

namespace kinesis::python {

PutBatch::PutBatch(size_t size, uint64_t token, BatchQueue& queue)
    : token_(token), queue_(queue), results_(size), slots_(size), remaining_(size + 1) {
  for (size_t i = 0; i < size; ++i) slots_[i] = {this, i};
}

void PutBatch::OnResult(const kinesis_result* result, void* user_data) {
  auto* slot = static_cast<Slot*>(user_data);
  slot->batch->Fill(slot->index, *result);
  slot->batch->Done();
}

void PutBatch::Fill(size_t index, const kinesis_result& result) {
  BatchResult& r = results_[index];
  const char* sources[] = {result.shard_id, result.sequence_number, result.error_code,
                           result.error_message};
  size_t offsets[4];
  for (size_t i = 0; i < 4; ++i) {
    offsets[i] = r.text.size();
    r.text.append(sources[i]);
    r.text.push_back('\0');
  }
  // Pointers into `text` only now that it has stopped growing.
  r.result = result;
  r.result.shard_id = r.text.data() + offsets[0];
  r.result.sequence_number = r.text.data() + offsets[1];
  r.result.error_code = r.text.data() + offsets[2];
  r.result.error_message = r.text.data() + offsets[3];
  r.result.internal = nullptr;
}

void PutBatch::Refuse(size_t index, kinesis_status status, const char* message) {
  kinesis_result refused{};
  refused.user_data = SlotOf(index);
  refused.shard_id = "";
  refused.sequence_number = "";
  refused.error_code = kinesis_status_name(status);
  refused.error_message = message;
  Fill(index, refused);
  Done();
}

void PutBatch::Seal() {
  self_ = shared_from_this();
  Done();
}

void PutBatch::Done() {
  if (remaining_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  // The last result: every slot is written, and this thread now owns the batch.
  std::shared_ptr<PutBatch> self = std::move(self_);
  queue_.Push(std::move(self));
}

size_t PutBatch::failed() const {
  size_t n = 0;
  for (const BatchResult& r : results_) n += r.result.success ? 0 : 1;
  return n;
}

void BatchQueue::Push(std::shared_ptr<PutBatch> batch) {
  {
    std::lock_guard lock(mu_);
    done_.push_back(std::move(batch));
  }
  ready_.notify_one();
}

std::vector<std::shared_ptr<PutBatch>> BatchQueue::Pop(size_t max, int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  ready_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return !done_.empty(); });
  std::vector<std::shared_ptr<PutBatch>> out;
  while (out.size() < max && !done_.empty()) {
    out.push_back(std::move(done_.front()));
    done_.pop_front();
  }
  return out;
}

}  // namespace kinesis::python
