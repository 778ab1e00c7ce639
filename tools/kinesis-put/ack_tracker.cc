#include "ack_tracker.h"

#include <random>
#include <utility>

namespace kinesis::put {

namespace {

uint64_t NewTrackerId() {
  static std::mutex mu;
  static std::mt19937_64 random(std::random_device{}());
  std::lock_guard lock(mu);
  uint64_t id = 0;
  while (id == 0) id = random();  // 0 means "none" in a version 1 checkpoint
  return id;
}

}  // namespace

AckTracker::AckTracker(FilePosition start)
    : id_(NewTrackerId()), adding_(new Chunk), draining_(adding_) {
  state_.acked = start;
  state_.added = start;
}

AckTracker::~AckTracker() {
  while (draining_ != nullptr) delete std::exchange(draining_, draining_->next);
}

uint64_t AckTracker::Add(FilePosition end) {
  if (next_ % kChunk == 0 && next_ > 0) {
    adding_->next = new Chunk;  // seen by the drainer through added_count_
    adding_ = adding_->next;
  }
  adding_->ends[next_ % kChunk] = end;
  added_count_.store(++next_, std::memory_order_release);
  return next_ - 1;
}

void AckTracker::DrainLocked() const {
  uint64_t to = added_count_.load(std::memory_order_acquire);
  if (drained_ == to) return;
  for (; drained_ < to; ++drained_) {
    if (drained_ % kChunk == 0 && drained_ > 0) {
      // Every record of the chunk is drained and Add writes a later one.
      delete std::exchange(draining_, draining_->next);
    }
    entries_.push_back({draining_->ends[drained_ % kChunk]});
  }
  state_.added = entries_.back().end;
}

void AckTracker::Done(uint64_t ticket) {
  std::lock_guard lock(mu_);
  if (ticket - first_ticket_ >= entries_.size()) DrainLocked();
  if (ticket < first_ticket_ || ticket - first_ticket_ >= entries_.size()) return;
  entries_[ticket - first_ticket_].done = true;
  while (!entries_.empty() && entries_.front().done) {
    state_.acked = entries_.front().end;
    state_.transmitted_acked += entries_.front().transmitted;
    entries_.pop_front();
    ++first_ticket_;
  }
}

void AckTracker::Transmitted(uint64_t ticket) { Transmitted(std::vector<uint64_t>{ticket}); }

void AckTracker::Transmitted(const std::vector<uint64_t>& tickets) {
  std::lock_guard lock(mu_);
  DrainLocked();
  for (uint64_t ticket : tickets) {
    if (ticket < first_ticket_ || ticket - first_ticket_ >= entries_.size()) continue;
    Entry& e = entries_[ticket - first_ticket_];
    if (e.transmitted) continue;
    e.transmitted = true;
    ++state_.transmitted;
  }
}

TrackerState AckTracker::state() const {
  std::lock_guard lock(mu_);
  DrainLocked();
  return state_;
}

FilePosition AckTracker::acked() const {
  std::lock_guard lock(mu_);
  DrainLocked();
  return state_.acked;
}

FilePosition AckTracker::added() const {
  std::lock_guard lock(mu_);
  DrainLocked();
  return state_.added;
}

uint64_t AckTracker::in_flight() const {
  std::lock_guard lock(mu_);
  DrainLocked();
  return entries_.size();
}

}  // namespace kinesis::put
