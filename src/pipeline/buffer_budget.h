// BufferBudget: the hard limit on records and bytes accepted and not yet finished.
//
// Put() charges a record before it is queued; the result dispatcher releases it after the
// record's callback has run. When a charge does not fit, Charge() waits (up to a deadline) for
// releases, or fails at once, by policy. Charges and releases are two atomic additions on the
// fast path; the mutex is only taken when someone waits.
//
// Thread safety: all methods from any thread.
#ifndef KINESIS_PIPELINE_BUFFER_BUDGET_H_
#define KINESIS_PIPELINE_BUFFER_BUDGET_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

#include "kinesis/status.h"

namespace kinesis {

class BufferBudget {
 public:
  BufferBudget(uint64_t max_records, uint64_t max_bytes)
      : max_records_(max_records), max_bytes_(max_bytes) {}

  // Charges one record of `bytes`. With `wait` zero, fails at once when it does not fit;
  // otherwise waits up to `wait`. ResourceExhausted ("QueueFull: ...") names the limit. A
  // single record larger than the byte budget can never fit and fails at once.
  Status Charge(uint64_t bytes, std::chrono::milliseconds wait);

  // Releases `records` records charged `bytes` in all.
  void Release(uint64_t bytes, uint64_t records);

  // Called (on the putting thread) each time a Charge starts to wait: the engine's nudge, so
  // that it sends what it holds instead of waiting for deadlines (Engine::Nudge). Set before
  // the first Charge.
  void set_wait_hook(std::function<void()> hook) { wait_hook_ = std::move(hook); }

  uint64_t records() const { return records_.load(std::memory_order_relaxed); }
  uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  // Some Charge() is waiting for room.
  bool waiting() const { return waiters_.load(std::memory_order_relaxed) > 0; }

 private:
  bool TryCharge(uint64_t bytes);

  const uint64_t max_records_;
  const uint64_t max_bytes_;
  std::atomic<uint64_t> records_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<int> waiters_{0};
  std::function<void()> wait_hook_;
  std::mutex mu_;  // only for waiting
  std::condition_variable released_;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_BUFFER_BUDGET_H_
