#include "capi/result_queue.h"

#include <memory>
#include <utility>

#include "capi/timeout.h"

namespace kinesis::capi {

void FillResult(const PutResult& result, void* user_data, kinesis_result* out) {
  out->user_data = user_data;
  out->success = result.success ? 1 : 0;
  out->shard_id = result.shard_id.c_str();
  out->sequence_number = result.sequence_number.c_str();
  out->sub_sequence_number = result.sub_sequence_number;
  out->aggregated = result.aggregated ? 1 : 0;
  out->error_code = result.error_code.c_str();
  out->error_message = result.error_message.c_str();
  out->attempts = static_cast<uint32_t>(result.attempts.size());
  out->internal = nullptr;
}

void ResultQueue::Push(PutResult result, void* user_data) {
  {
    std::lock_guard lock(mu_);
    entries_.push_back({std::move(result), user_data});
  }
  ready_.notify_one();
}

size_t ResultQueue::Poll(kinesis_result* out, size_t max, int64_t timeout_ms) {
  if (max == 0) return 0;
  std::unique_lock lock(mu_);
  auto ready = [this] { return !entries_.empty(); };
  if (timeout_ms < 0) {
    ready_.wait(lock, ready);
  } else {
    ready_.wait_for(lock, ClampTimeout(timeout_ms), ready);
  }
  size_t n = 0;
  while (n < max && !entries_.empty()) {
    // The heap copy keeps the strings alive, and at the same address, until ReleaseResults.
    auto owned = std::make_unique<PutResult>(std::move(entries_.front().result));
    FillResult(*owned, entries_.front().user_data, &out[n]);
    out[n].internal = owned.release();
    entries_.pop_front();
    ++n;
  }
  return n;
}

void ResultQueue::ReleaseResults(kinesis_result* results, size_t n) {
  if (results == nullptr) return;
  for (size_t i = 0; i < n; ++i) {
    delete static_cast<PutResult*>(results[i].internal);
    results[i] = kinesis_result{};
  }
}

}  // namespace kinesis::capi
