#include "ack_tracker.h"

namespace kinesis::put {

AckTracker::AckTracker(FilePosition start) : acked_(start), added_(start) {}

uint64_t AckTracker::Add(FilePosition end) {
  std::lock_guard lock(mu_);
  entries_.emplace_back(end, false);
  added_ = end;
  return first_ticket_ + entries_.size() - 1;
}

void AckTracker::Done(uint64_t ticket) {
  std::lock_guard lock(mu_);
  if (ticket < first_ticket_ || ticket - first_ticket_ >= entries_.size()) return;
  entries_[ticket - first_ticket_].second = true;
  while (!entries_.empty() && entries_.front().second) {
    acked_ = entries_.front().first;
    entries_.pop_front();
    ++first_ticket_;
  }
}

FilePosition AckTracker::acked() const {
  std::lock_guard lock(mu_);
  return acked_;
}

FilePosition AckTracker::added() const {
  std::lock_guard lock(mu_);
  return added_;
}

uint64_t AckTracker::in_flight() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace kinesis::put
