#include <cstring>
#include <functional>
#include <vector>

#include "aggregation/md5.h"
#include "aggregation/protobuf_wire.h"
#include "kinesis/aggregation.h"

namespace kinesis {

using protobuf_wire::LengthDelimitedFieldSize;
using protobuf_wire::VarintSize;
using protobuf_wire::WriteVarint;

// A key table (partition keys or explicit hash keys) with O(1) lookup: an open-addressing
// index over borrowed keys. Slots carry the generation that wrote them, so Clear() is O(1)
// and the memory is reused by the next aggregate.
class AggregateEncoder::KeyTable {
 public:
  struct Lookup {
    uint32_t index;  // the key's index, existing or to be assigned by Insert
    bool found;
    size_t slot;
    uint64_t hash;
  };

  Lookup Find(std::string_view key) const { return Find(key, std::hash<std::string_view>()(key)); }

  Lookup Find(std::string_view key, uint64_t hash) const {
    if (slots_.empty()) return {0, false, 0, hash};
    size_t mask = slots_.size() - 1;
    for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
      const Slot& s = slots_[slot];
      if (s.generation != generation_)
        return {static_cast<uint32_t>(keys_.size()), false, slot, hash};
      if (s.hash == hash && keys_[s.index] == key) return {s.index, true, slot, hash};
    }
  }

  void Insert(const Lookup& at, std::string_view key) {
    if ((keys_.size() + 1) * 2 > slots_.size()) {
      Rehash(std::max<size_t>(16, slots_.size() * 2));
      // Where the new key goes in the larger table.
      size_t mask = slots_.size() - 1;
      size_t slot = at.hash & mask;
      while (slots_[slot].generation == generation_) slot = (slot + 1) & mask;
      slots_[slot] = Slot{generation_, static_cast<uint32_t>(keys_.size()), at.hash};
      keys_.push_back(key);
      return;
    }
    slots_[at.slot] = Slot{generation_, static_cast<uint32_t>(keys_.size()), at.hash};
    keys_.push_back(key);
  }

  void Clear() {
    keys_.clear();
    if (++generation_ == 0) {  // wrapped: old stamps could look current
      std::fill(slots_.begin(), slots_.end(), Slot{});
      generation_ = 1;
    }
  }

  const std::vector<std::string_view>& keys() const { return keys_; }

  struct Slot {
    uint32_t generation = 0;
    uint32_t index = 0;
    uint64_t hash = 0;
  };

  void Prefetch(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }

 private:
  // Moves the current keys' slots into a table of `capacity`, with the hashes they were
  // inserted with (whatever function the caller used).
  void Rehash(size_t capacity) {
    std::vector<Slot> old(capacity, Slot{});
    old.swap(slots_);
    size_t mask = capacity - 1;
    for (const Slot& s : old) {
      if (s.generation != generation_) continue;
      size_t slot = s.hash & mask;
      while (slots_[slot].generation == 1) slot = (slot + 1) & mask;
      slots_[slot] = Slot{1, s.index, s.hash};
    }
    generation_ = 1;
  }

  std::vector<Slot> slots_;  // size is 0 or a power of two, at most half full
  std::vector<std::string_view> keys_;
  uint32_t generation_ = 1;
};

AggregateEncoder::AggregateEncoder()
    : partition_keys_(std::make_unique<KeyTable>()),
      explicit_hash_keys_(std::make_unique<KeyTable>()) {}
AggregateEncoder::~AggregateEncoder() = default;
AggregateEncoder::AggregateEncoder(AggregateEncoder&&) noexcept = default;
AggregateEncoder& AggregateEncoder::operator=(AggregateEncoder&&) noexcept = default;

bool AggregateEncoder::AddIfFits(const UserRecordView& record, size_t max_size) {
  return AddIfFits(record, max_size, std::hash<std::string_view>()(record.partition_key));
}

void AggregateEncoder::Prefetch(uint64_t partition_key_hash) const {
  partition_keys_->Prefetch(partition_key_hash);
}

bool AggregateEncoder::AddIfFits(const UserRecordView& record, size_t max_size,
                                 uint64_t partition_key_hash) {
  KeyTable::Lookup pk = partition_keys_->Find(record.partition_key, partition_key_hash);
  size_t added = pk.found ? 0 : LengthDelimitedFieldSize(record.partition_key.size());
  size_t body = 1 + VarintSize(pk.index) + LengthDelimitedFieldSize(record.data.size());

  KeyTable::Lookup ehk{};
  if (record.explicit_hash_key) {
    ehk = explicit_hash_keys_->Find(*record.explicit_hash_key);
    if (!ehk.found) added += LengthDelimitedFieldSize(record.explicit_hash_key->size());
    body += 1 + VarintSize(ehk.index);
  }
  added += LengthDelimitedFieldSize(body);
  if (size() + added > max_size) return false;

  if (!pk.found) partition_keys_->Insert(pk, record.partition_key);
  if (record.explicit_hash_key && !ehk.found) {
    explicit_hash_keys_->Insert(ehk, *record.explicit_hash_key);
  }
  records_.push_back(Entry{pk.index,
                           record.explicit_hash_key ? static_cast<int32_t>(ehk.index) : -1,
                           record.data, static_cast<uint32_t>(body)});
  message_size_ += added;
  return true;
}

namespace {

uint8_t* WriteLengthDelimited(uint8_t* p, uint8_t tag, std::string_view bytes) {
  *p++ = tag;
  p = WriteVarint(p, bytes.size());
  std::memcpy(p, bytes.data(), bytes.size());
  return p + bytes.size();
}

}  // namespace

void AggregateEncoder::BuildInto(uint8_t* out) const {
  uint8_t* digest = WriteUndigested(out);
  Md5Digest(out + sizeof(kAggregationMagic), message_size_, digest);
}

std::string AggregateEncoder::BuildWithoutDigest() const {
  std::string out;
  BuildWithoutDigestInto(out);
  return out;
}

void AggregateEncoder::BuildWithoutDigestInto(std::string& out) const {
  out.resize(size());  // zero-fills only beyond what `out` held
  WriteUndigested(reinterpret_cast<uint8_t*>(out.data()));
}

void AggregateEncoder::WriteDigests(std::span<std::string* const> aggregates) {
  std::vector<Md5Job> jobs;
  jobs.reserve(aggregates.size());
  for (std::string* a : aggregates) {
    auto* bytes = reinterpret_cast<uint8_t*>(a->data());
    jobs.push_back(Md5Job{bytes + sizeof(kAggregationMagic), a->size() - kAggregationOverhead,
                          bytes + a->size() - kAggregationDigestSize});
  }
  Md5DigestMany(jobs);
}

uint8_t* AggregateEncoder::WriteUndigested(uint8_t* out) const {
  std::memcpy(out, kAggregationMagic, sizeof(kAggregationMagic));
  uint8_t* p = out + sizeof(kAggregationMagic);
  // Fields in number order, as libprotobuf serializes them, so the bytes match the KPL's.
  for (std::string_view key : partition_keys_->keys()) {
    p = WriteLengthDelimited(p, protobuf_wire::kPartitionKeyTableTag, key);
  }
  for (std::string_view key : explicit_hash_keys_->keys()) {
    p = WriteLengthDelimited(p, protobuf_wire::kExplicitHashKeyTableTag, key);
  }
  for (size_t i = 0; i < records_.size(); ++i) {
    // The data lies in the records, written long ago: fetch a few entries ahead.
    if (i + 4 < records_.size()) __builtin_prefetch(records_[i + 4].data.data());
    const Entry& e = records_[i];
    *p++ = protobuf_wire::kRecordsTag;
    p = WriteVarint(p, e.body_size);
    *p++ = protobuf_wire::kPartitionKeyIndexTag;
    p = WriteVarint(p, e.partition_key_index);
    if (e.explicit_hash_key_index >= 0) {
      *p++ = protobuf_wire::kExplicitHashKeyIndexTag;
      p = WriteVarint(p, static_cast<uint64_t>(e.explicit_hash_key_index));
    }
    p = WriteLengthDelimited(p, protobuf_wire::kDataTag, e.data);
  }
  return p;
}

std::string AggregateEncoder::Build() const {
  std::string out;
  // resize_and_overwrite is C++23; the zero fill costs little next to the MD5 pass.
  out.resize(size());
  BuildInto(reinterpret_cast<uint8_t*>(out.data()));
  return out;
}

void AggregateEncoder::Clear() {
  records_.clear();
  partition_keys_->Clear();
  explicit_hash_keys_->Clear();
  message_size_ = 0;
}

}  // namespace kinesis
