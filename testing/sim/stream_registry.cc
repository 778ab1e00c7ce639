#include "sim/stream_registry.h"

#include <algorithm>
#include <cstdio>

#include "sim/put_answer.h"

namespace kinesis::sim {
namespace {

__extension__ typedef unsigned __int128 Uint128;

Uint128 Wide(const HashKey& k) { return (Uint128{k.high()} << 64) | k.low(); }
HashKey Narrow(Uint128 v) {
  return HashKey(static_cast<uint64_t>(v >> 64), static_cast<uint64_t>(v));
}

// Far above the service's default shard quota (hundreds); bounds memory per call.
constexpr int kMaxShards = 10000;

bool ValidStreamName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

HashKey ShardStartingKey(size_t i, size_t n) {
  // i * floor(2^128 / n), as kinesalite (which mirrors the service) lays shards out; this is
  // floor(2^128 i / n) minus at most i - 1. floor(2^128 / n) from 2^128 - 1 = q n + r.
  const Uint128 max = ~Uint128{0};
  Uint128 q = max / n + (max % n + 1 == n ? 1 : 0);
  return Narrow(q * i);
}

std::string ShardIdOf(size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "shardId-%012zu", index);
  return buf;
}

int Stream::Route(const HashKey& key) const {
  // `open` is ordered by starting key and covers the whole space without gaps.
  auto it = std::upper_bound(open.begin(), open.end(), key,
                             [this](const HashKey& k, int idx) { return k < shards[idx].start; });
  if (it == open.begin()) return -1;
  return *(it - 1);
}

std::string Stream::NextSequence(int index) {
  // "49", a 24-digit stream-wide counter, the 30-digit shard index: 56 digits. The counter
  // leads, so numbers grow per shard and a child's numbers exceed its parents'.
  char buf[64];
  std::snprintf(buf, sizeof(buf), "49%024llu%030d",
                static_cast<unsigned long long>(next_sequence++), index);
  return buf;
}

void Stream::AppendNextSequenceHead(std::string* out) {
  char digits[26] = {'4', '9'};
  uint64_t v = next_sequence++;
  for (int i = 25; i >= 2; --i, v /= 10) digits[i] = static_cast<char>('0' + v % 10);
  out->append(digits, sizeof(digits));
}

ApiError StreamRegistry::NotFound(std::string_view name) const {
  return ClientError(
      "ResourceNotFoundException",
      "Stream " + std::string(name) + " under account " + options_.account + " not found.");
}

Stream* StreamRegistry::Find(std::string_view name) {
  auto it = streams_.find(name);
  return it == streams_.end() ? nullptr : &it->second;
}

MaybeError StreamRegistry::Create(std::string_view name, int shard_count, int64_t now_us,
                                  int64_t wall_ms) {
  if (!ValidStreamName(name)) {
    return ValidationError("Value '" + std::string(name) +
                           "' at 'streamName' failed to satisfy constraint: Member must satisfy "
                           "regular expression pattern: [a-zA-Z0-9_.-]+");
  }
  if (shard_count < 1) {
    return ValidationError("Value '" + std::to_string(shard_count) +
                           "' at 'shardCount' failed to satisfy constraint: Member must have "
                           "value greater than or equal to 1");
  }
  if (shard_count > kMaxShards) {
    return ClientError("LimitExceededException",
                       "This request would exceed the shard limit for the account " +
                           options_.account + " in " + options_.region +
                           ". Current shard count "
                           "for the account: 0. Limit: " +
                           std::to_string(kMaxShards) +
                           ". Number of additional shards that would have resulted from this "
                           "request: " +
                           std::to_string(shard_count) + ".");
  }
  if (streams_.count(name)) {
    return ClientError("ResourceInUseException", "Stream " + std::string(name) + " under account " +
                                                     options_.account + " already exists.");
  }
  Stream& s = streams_[std::string(name)];
  s.name = std::string(name);
  s.arn = "arn:aws:kinesis:" + options_.region + ":" + options_.account + ":stream/" + s.name;
  s.created_ms = wall_ms;
  s.initial_shards = static_cast<size_t>(shard_count);
  size_t n = static_cast<size_t>(shard_count);
  for (size_t i = 0; i < n; ++i) {
    HashKey end = i + 1 == n ? HashKey::Max() : Narrow(Wide(ShardStartingKey(i + 1, n)) - 1);
    AddShard(s, ShardStartingKey(i, n), end, -1, -1, now_us, wall_ms);
  }
  RebuildOpen(s);
  return std::nullopt;
}

MaybeError StreamRegistry::Delete(std::string_view name) {
  auto it = streams_.find(name);
  if (it == streams_.end()) return NotFound(name);
  streams_.erase(it);
  return std::nullopt;
}

int StreamRegistry::ShardIndex(const Stream& s, std::string_view shard_id) {
  for (size_t i = 0; i < s.shards.size(); ++i) {
    if (s.shards[i].id == shard_id) return static_cast<int>(i);
  }
  return -1;
}

int StreamRegistry::AddShard(Stream& s, HashKey start, HashKey end, int parent, int adjacent,
                             int64_t now_us, int64_t wall_ms) {
  Shard shard;
  int index = static_cast<int>(s.shards.size());
  shard.id = ShardIdOf(s.shards.size());
  shard.start = start;
  shard.end = end;
  shard.parent = parent;
  shard.adjacent = adjacent;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "49%024llu%030d",
                static_cast<unsigned long long>(s.next_sequence), index);
  shard.starting_sequence = buf;
  shard.created_ms = wall_ms;
  std::snprintf(buf, sizeof(buf), "%030d", index);
  shard.result_tail = std::string(buf) + "\",\"ShardId\":\"" + shard.id + "\"}";
  shard.cbor_result_tail = CborResultTail(buf, shard.id);
  shard.byte_limit = TokenBucket(options_.shard_bytes_per_second, now_us);
  shard.record_limit = TokenBucket(options_.shard_records_per_second, now_us);
  s.shards.push_back(std::move(shard));
  return index;
}

void StreamRegistry::Close(Stream& s, int index, int64_t wall_ms) {
  s.shards[index].ending_sequence = s.NextSequence(index);
  s.shards[index].closed_ms = wall_ms;
}

void StreamRegistry::RebuildOpen(Stream& s) {
  s.open.clear();
  for (size_t i = 0; i < s.shards.size(); ++i) {
    if (s.shards[i].open()) s.open.push_back(static_cast<int>(i));
  }
  std::sort(s.open.begin(), s.open.end(),
            [&s](int a, int b) { return s.shards[a].start < s.shards[b].start; });
}

namespace {
ApiError ShardNotFound(const Stream& s, std::string_view id, const std::string& account) {
  return ClientError("ResourceNotFoundException", "Could not find shard " + std::string(id) +
                                                      " in stream " + s.name + " under account " +
                                                      account + ".");
}
ApiError NotEligible(const Stream& s, std::string_view id, const std::string& account) {
  return ClientError("InvalidArgumentException",
                     "Shard " + std::string(id) + " in stream " + s.name + " under account " +
                         account +
                         " has already been merged or split, and thus is not "
                         "eligible for merging or splitting.");
}
}  // namespace

MaybeError StreamRegistry::Split(Stream& s, std::string_view shard_id, std::string_view new_start,
                                 int64_t now_us, int64_t wall_ms) {
  int index = ShardIndex(s, shard_id);
  if (index < 0) return ShardNotFound(s, shard_id, options_.account);
  if (!s.shards[index].open()) return NotEligible(s, shard_id, options_.account);
  auto key = HashKey::Parse(new_start);
  Shard& parent = s.shards[index];
  if (!key.ok() || *key <= parent.start || *key > parent.end) {
    return ClientError("InvalidArgumentException",
                       "NewStartingHashKey " + std::string(new_start) +
                           " used in SplitShard() on shard " + std::string(shard_id) +
                           " in stream " + s.name + " under account " + options_.account +
                           " is not both greater than one plus the shard's StartingHashKey " +
                           parent.start.ToString() + " and less than the shard's EndingHashKey " +
                           parent.end.ToString() + ".");
  }
  HashKey start = parent.start, end = parent.end;
  Close(s, index, wall_ms);
  AddShard(s, start, Narrow(Wide(*key) - 1), index, -1, now_us, wall_ms);
  AddShard(s, *key, end, index, -1, now_us, wall_ms);
  RebuildOpen(s);
  return std::nullopt;
}

MaybeError StreamRegistry::Merge(Stream& s, std::string_view shard_id, std::string_view adjacent_id,
                                 int64_t now_us, int64_t wall_ms) {
  int a = ShardIndex(s, shard_id);
  if (a < 0) return ShardNotFound(s, shard_id, options_.account);
  int b = ShardIndex(s, adjacent_id);
  if (b < 0) return ShardNotFound(s, adjacent_id, options_.account);
  if (!s.shards[a].open()) return NotEligible(s, shard_id, options_.account);
  if (!s.shards[b].open()) return NotEligible(s, adjacent_id, options_.account);
  const Shard& x = s.shards[a];
  const Shard& y = s.shards[b];
  bool adjacent = (x.end < HashKey::Max() && Narrow(Wide(x.end) + 1) == y.start) ||
                  (y.end < HashKey::Max() && Narrow(Wide(y.end) + 1) == x.start);
  if (!adjacent) {
    return ClientError("InvalidArgumentException",
                       "Shards " + std::string(shard_id) + " and " + std::string(adjacent_id) +
                           " in stream " + s.name + " under account " + options_.account +
                           " are not an adjacent pair of shards eligible for merging");
  }
  HashKey start = std::min(x.start, y.start), end = std::max(x.end, y.end);
  Close(s, a, wall_ms);
  Close(s, b, wall_ms);
  AddShard(s, start, end, a, b, now_us, wall_ms);
  RebuildOpen(s);
  return std::nullopt;
}

MaybeError StreamRegistry::Scale(Stream& s, int count, int64_t now_us, int64_t wall_ms) {
  if (count < 1 || count > kMaxShards) {
    return ValidationError("Value '" + std::to_string(count) +
                           "' at 'targetShardCount' failed to satisfy constraint: Member must "
                           "have value greater than or equal to 1");
  }
  std::vector<int> parents = s.open;  // ordered by starting key
  for (int p : parents) Close(s, p, wall_ms);
  size_t n = static_cast<size_t>(count);
  for (size_t i = 0; i < n; ++i) {
    HashKey start = ShardStartingKey(i, n);
    HashKey end = i + 1 == n ? HashKey::Max() : Narrow(Wide(ShardStartingKey(i + 1, n)) - 1);
    // Parent: the old shard holding the new start; adjacent: the next old one it overlaps.
    int parent = -1, adjacent = -1;
    for (int p : parents) {
      const Shard& old = s.shards[p];
      if (old.start <= start && start <= old.end)
        parent = p;
      else if (parent >= 0 && adjacent < 0 && old.start <= end && old.start > start)
        adjacent = p;
    }
    AddShard(s, start, end, parent, adjacent, now_us, wall_ms);
  }
  RebuildOpen(s);
  return std::nullopt;
}

}  // namespace kinesis::sim
