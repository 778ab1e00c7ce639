#include "sent_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "kinesis/aggregation.h"

namespace kinesis::put {

namespace {

constexpr char kHeader[] = "kinesis-put-sent 1";

}  // namespace

Result<std::unique_ptr<SentJournal>> SentJournal::Create(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  return std::unique_ptr<SentJournal>(new SentJournal(path, fd));
}

Result<std::map<uint64_t, uint64_t>> SentJournal::Load(const std::string& path) {
  std::map<uint64_t, uint64_t> counts;
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return counts;
    return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  }
  std::string line;
  // Made but not written yet when the process ended (kill -9 before anything went out).
  if (in.peek() == std::char_traits<char>::eof()) return counts;
  if (!std::getline(in, line) || line != kHeader) {
    return Status::Corruption(path + ":1: not a kinesis-put sent journal");
  }
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string tag;
    uint64_t id = 0, transmitted = 0;
    fields >> tag >> std::hex >> id >> std::dec >> transmitted;
    if (fields && tag == "tracker") counts[id] = transmitted;
  }
  return counts;
}

uint64_t SentJournal::Key(std::string_view partition_key, std::string_view data) {
  std::hash<std::string_view> hash;
  return hash(data) ^ (hash(partition_key) * 0x9e3779b97f4a7c15ull);
}

SentJournal::~SentJournal() { close(fd_); }

void SentJournal::Expect(uint64_t key, const std::shared_ptr<AckTracker>& tracker,
                         uint64_t ticket) {
  if (tracker.get() != last_expected_) {
    last_expected_ = tracker.get();
    std::lock_guard lock(mu_);
    trackers_.try_emplace(tracker->id(), tracker);
  }
  Shard& shard = shards_[key % kShards];
  std::lock_guard lock(shard.mu);
  shard.pending.emplace(key, Pending{tracker, ticket});
}

void SentJournal::Forget(uint64_t key, const AckTracker* tracker, uint64_t ticket) {
  Shard& shard = shards_[key % kShards];
  std::lock_guard lock(shard.mu);
  auto [first, last] = shard.pending.equal_range(key);
  for (auto it = first; it != last; ++it) {
    if (it->second.tracker.get() == tracker && it->second.ticket == ticket) {
      shard.pending.erase(it);
      return;
    }
  }
}

void SentJournal::Sending(const std::vector<OutgoingRecord>& records) {
  DeaggregateOptions options;
  options.verify_checksum = false;
  std::vector<DeaggregatedRecord> members;
  // Tickets to mark, by tracker (a run reads few files at once: a short list).
  std::vector<std::pair<std::shared_ptr<AckTracker>, std::vector<uint64_t>>> marks;
  for (const OutgoingRecord& r : records) {
    members.clear();
    if (!Deaggregate(r.data, r.partition_key, std::nullopt, options, &members).ok()) continue;
    for (const DeaggregatedRecord& m : members) {
      uint64_t key = Key(m.partition_key, m.data);
      Shard& shard = shards_[key % kShards];
      std::unique_lock lock(shard.mu);
      // The first registered of identical records; a retry finds nothing (already marked).
      auto it = shard.pending.find(key);
      if (it == shard.pending.end()) continue;
      Pending pending = std::move(it->second);
      shard.pending.erase(it);
      lock.unlock();
      auto mark = std::find_if(marks.begin(), marks.end(),
                               [&](const auto& entry) { return entry.first == pending.tracker; });
      if (mark == marks.end()) mark = marks.insert(marks.end(), {pending.tracker, {}});
      mark->second.push_back(pending.ticket);
    }
  }
  if (marks.empty()) return;
  for (auto& [tracker, tickets] : marks) tracker->Transmitted(tickets);
  std::lock_guard lock(mu_);
  WriteLocked();
}

void SentJournal::WriteLocked() {
  std::string text = std::string(kHeader) + "\n";
  char line[64];
  for (auto it = trackers_.begin(); it != trackers_.end();) {
    std::snprintf(line, sizeof line, "tracker %llx %llu\n",
                  static_cast<unsigned long long>(it->first),
                  static_cast<unsigned long long>(it->second->state().transmitted));
    text += line;
    // A tracker only the journal still holds has no records left to send: its file is
    // closed and gone from the checkpoint.
    it = it->second.use_count() == 1 ? trackers_.erase(it) : std::next(it);
  }
  // Shorter than last time: pad with blank lines rather than truncate, so that the file is
  // never seen shorter than its content (one pwrite, kept whole across kill -9).
  if (text.size() < written_size_) text.append(written_size_ - text.size(), '\n');
  written_size_ = text.size();
  if (pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    // The count after a restart may then be short; nothing else depends on it.
    return;
  }
}

}  // namespace kinesis::put
