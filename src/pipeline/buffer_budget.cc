#include "pipeline/buffer_budget.h"

#include <string>

namespace kinesis {

bool BufferBudget::TryCharge(uint64_t bytes) {
  uint64_t r = records_.fetch_add(1);
  uint64_t b = bytes_.fetch_add(bytes);
  if (r + 1 <= max_records_ && b + bytes <= max_bytes_) return true;
  records_.fetch_sub(1);
  bytes_.fetch_sub(bytes);
  return false;
}

Status BufferBudget::Full(std::string_view why) const {
  return Status::QueueFull(
      "the buffer holds " + std::to_string(records()) + " records and " +
      std::to_string(bytes()) + " bytes; the budget is " + std::to_string(max_records_) +
      " records (BufferMaxRecords) and " + std::to_string(max_bytes_) +
      " bytes (BufferMaxBytes)" + std::string(why));
}

Status BufferBudget::Charge(uint64_t bytes, std::chrono::milliseconds wait) {
  if (bytes > max_bytes_) {
    return Status::QueueFull("a record of " + std::to_string(bytes) +
                                     " bytes can never fit the buffer budget of " +
                                     std::to_string(max_bytes_) + " bytes (BufferMaxBytes)");
  }
  if (TryCharge(bytes)) return Status::Ok();
  if (give_back_ && std::this_thread::get_id() == releaser_) {
    // A put from a result callback: no room can come while this thread waits, since it is the
    // one that releases; what its callbacks' records held is the only room it can make.
    give_back_();
    if (TryCharge(bytes)) return Status::Ok();
    return Full(
        "; a put from a result callback does not wait for room (PutTimeout): the callback "
        "thread is the one that makes room, and the records filling the budget have no result "
        "yet");
  }
  if (wait.count() <= 0) return Full("");
  auto deadline = std::chrono::steady_clock::now() + wait;
  waiters_.fetch_add(1);
  if (wait_hook_) wait_hook_();
  std::unique_lock lock(mu_);  // Release and Close notify under it; the predicate runs under it
  bool ended = released_.wait_until(lock, deadline, [&] { return closed_ || TryCharge(bytes); });
  waiters_.fetch_sub(1);
  if (closed_) {
    return Status::ProducerClosed(
        "the producer was closed while this put waited for room in the buffer "
        "budget");
  }
  return ended ? Status::Ok() : Full("");
}

void BufferBudget::Release(uint64_t bytes, uint64_t records) {
  records_.fetch_sub(records);
  bytes_.fetch_sub(bytes);
  // Wake blocked putters only once usage is back under 7/8 of the budget: waking them on every
  // release while the budget is full would cost a wake-up per record.
  if (waiters_.load() > 0 && bytes_.load() <= max_bytes_ - max_bytes_ / 8 &&
      records_.load() <= max_records_ - max_records_ / 8) {
    std::lock_guard lock(mu_);
    released_.notify_all();
  }
}

void BufferBudget::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  released_.notify_all();
}

}  // namespace kinesis
