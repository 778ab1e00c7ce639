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
  std::lock_guard lock(mu_);
  entries_.push_back({end});
  state_.added = end;
  return first_ticket_ + entries_.size() - 1;
}

void AckTracker::Done(uint64_t ticket) {
  std::lock_guard lock(mu_);
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
  return state_;
}

FilePosition AckTracker::acked() const {
  std::lock_guard lock(mu_);
  return state_.acked;
}

FilePosition AckTracker::added() const {
  std::lock_guard lock(mu_);
  return state_.added;
}

uint64_t AckTracker::in_flight() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace kinesis::put
