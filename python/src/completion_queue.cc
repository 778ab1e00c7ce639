#include "completion_queue.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <utility>

#include "put_batch.h"

namespace kinesis::python {

void RecordResult::Fill(const kinesis_result& from) {
  const char* sources[] = {from.shard_id, from.sequence_number, from.error_code,
                           from.error_message};
  size_t sizes[4];
  size_t total = 0;
  for (size_t i = 0; i < 4; ++i) {
    sizes[i] = std::strlen(sources[i]) + 1;
    total += sizes[i];
  }
  char* out = inline_text;
  if (total > sizeof(inline_text)) {
    text.resize(total);
    out = text.data();
  }
  result = from;
  result.internal = nullptr;
  const char** targets[] = {&result.shard_id, &result.sequence_number, &result.error_code,
                            &result.error_message};
  for (size_t i = 0; i < 4; ++i) {
    std::memcpy(out, sources[i], sizes[i]);
    *targets[i] = out;
    out += sizes[i];
  }
}

void Completion::OnRecordResult(const kinesis_result* result, void* user_data) {
  std::unique_ptr<Completion> entry(static_cast<Completion*>(user_data));
  entry->record.Fill(*result);
  CompletionQueue* queue = entry->queue;
  queue->Push(std::move(entry));
}

void CompletionQueue::Push(std::unique_ptr<Completion> entry) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    entries_.push_back(std::move(entry));
    wake = waiting_;
    waiting_ = false;
  }
  if (wake) ready_.notify_one();
}

std::vector<std::unique_ptr<Completion>> CompletionQueue::Pop(size_t max, int64_t timeout_ms) {
  std::vector<std::unique_ptr<Completion>> out;
  std::unique_lock lock(mu_);
  if (entries_.empty() && timeout_ms > 0) {
    waiting_ = true;
    ready_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                    [this] { return !entries_.empty(); });
    waiting_ = false;
  }
  size_t n = std::min(max, entries_.size());
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(std::move(entries_.front()));
    entries_.pop_front();
  }
  return out;
}

std::deque<std::unique_ptr<Completion>> CompletionQueue::TakeAll() noexcept {
  std::deque<std::unique_ptr<Completion>> all;
  std::lock_guard lock(mu_);
  all.swap(entries_);
  return all;
}

}  // namespace kinesis::python
