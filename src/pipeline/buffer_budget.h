// BufferBudget: the hard limit on records and bytes accepted and not yet finished.
//
// Put() charges a record before it is queued; the result dispatcher gives the charge back when
// the record's callback runs. When a charge does not fit, Charge() waits (up to a deadline) for
// releases, or fails at once, by policy. Charges and releases are two atomic additions on the
// fast path; the mutex is only taken when someone waits.
//
// Two cases never wait. A charge on the releasing thread (a put from a result callback): that
// thread is the only one that makes room, so it first gives back what it holds (the charges of
// the records whose callbacks have started) and, when the record still does not fit, fails at
// once. And every charge once the budget is closed (Producer::Close): waiting ones are woken
// and fail with ProducerClosed.
//
// Thread safety: all methods from any thread; set_* before the first Charge.
#ifndef KINESIS_PIPELINE_BUFFER_BUDGET_H_
#define KINESIS_PIPELINE_BUFFER_BUDGET_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>

#include "kinesis/status.h"

namespace kinesis {

class BufferBudget {
 public:
  BufferBudget(uint64_t max_records, uint64_t max_bytes)
      : max_records_(max_records), max_bytes_(max_bytes) {}

  // Charges one record of `bytes`. With `wait` zero, fails at once when it does not fit;
  // otherwise waits up to `wait`. ResourceExhausted ("QueueFull: ...") names the limit. A
  // single record larger than the byte budget can never fit and fails at once. After Close(),
  // a charge that does not fit at once fails with FailedPrecondition ("ProducerClosed: ...").
  Status Charge(uint64_t bytes, std::chrono::milliseconds wait);

  // Releases `records` records charged `bytes` in all.
  void Release(uint64_t bytes, uint64_t records);

  // Wakes every waiting Charge and makes it (and every later one that would wait) fail with
  // ProducerClosed. Idempotent.
  void Close();

  // Called (on the putting thread) each time a Charge starts to wait: the engine's nudge, so
  // that it sends what it holds instead of waiting for deadlines (Engine::Nudge).
  void set_wait_hook(std::function<void()> hook) { wait_hook_ = std::move(hook); }

  // The thread that releases charges (the result dispatcher's) and how it gives back, there and
  // then, the charges it holds (ResultDispatcher::GiveBack).
  void set_releaser(std::thread::id thread, std::function<void()> give_back) {
    releaser_ = thread;
    give_back_ = std::move(give_back);
  }

  uint64_t records() const { return records_.load(std::memory_order_relaxed); }
  uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  // Some Charge() is waiting for room.
  bool waiting() const { return waiters_.load(std::memory_order_relaxed) > 0; }

 private:
  bool TryCharge(uint64_t bytes);
  Status Full(std::string_view why) const;

  const uint64_t max_records_;
  const uint64_t max_bytes_;
  std::atomic<uint64_t> records_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<int> waiters_{0};
  std::function<void()> wait_hook_;
  std::thread::id releaser_;
  std::function<void()> give_back_;
  std::mutex mu_;  // only for waiting
  std::condition_variable released_;
  bool closed_ = false;  // guarded by mu_
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_BUFFER_BUDGET_H_
