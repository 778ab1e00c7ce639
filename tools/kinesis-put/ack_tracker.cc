#include "ack_tracker.h"

#include <random>

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

AckTracker::AckTracker(FilePosition start) : id_(NewTrackerId()) {
  state_.acked = start;
  state_.added = start;
}

uint64_t AckTracker::Add(FilePosition end) {
  if (next_ - drained_seen_ == kRing) {
    drained_seen_ = drained_.load(std::memory_order_acquire);
    if (next_ - drained_seen_ == kRing) {
      std::lock_guard lock(mu_);
      DrainLocked();
      drained_seen_ = next_;
    }
  }
  added_[next_ % kRing] = end;
  added_count_.store(++next_, std::memory_order_release);
  return next_ - 1;
}

void AckTracker::DrainLocked() const {
  uint64_t from = drained_.load(std::memory_order_relaxed);
  uint64_t to = added_count_.load(std::memory_order_acquire);
  if (from == to) return;
  for (uint64_t t = from; t < to; ++t) entries_.push_back({added_[t % kRing]});
  state_.added = added_[(to - 1) % kRing];
  drained_.store(to, std::memory_order_release);
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
