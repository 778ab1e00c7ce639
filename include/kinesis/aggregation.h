// The KPL aggregated-record format: many user records in one Kinesis record.
//
//   F3 89 9A C2 | protobuf AggregatedRecord | MD5 of the protobuf bytes (16 bytes)
//
// The full specification is docs/aggregation-format.md. Aggregates built here are read by the
// KCL and by the official deaggregation libraries (aws-kinesis-agg), and Deaggregate reads
// theirs. An aggregate must only hold records of one shard: the KCL drops a whole aggregate when
// one member's hash key lies outside the shard it was read from. Grouping by shard is the
// caller's job (the producer's per-shard aggregators); the encoder does not know the shard map.
//
// Thread safety: an AggregateEncoder belongs to one thread at a time. Deaggregate and
// IsAggregated may be called from any thread.
#ifndef KINESIS_AGGREGATION_H_
#define KINESIS_AGGREGATION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinesis/hash_key.h"
#include "kinesis/status.h"
#include "kinesis/user_record.h"

namespace kinesis {

inline constexpr uint8_t kAggregationMagic[4] = {0xF3, 0x89, 0x9A, 0xC2};
inline constexpr size_t kAggregationDigestSize = 16;
// Magic and digest: what an aggregate costs beyond its protobuf message.
inline constexpr size_t kAggregationOverhead = sizeof(kAggregationMagic) + kAggregationDigestSize;

// Builds one aggregated record at a time.
//
//   AggregateEncoder encoder;
//   for (...) if (!encoder.AddIfFits(record, limit)) { send(encoder.Build()); encoder.Clear(); ...
//   }
//
// The encoder borrows the partition keys, explicit hash keys and data of the records added:
// they must stay alive and unchanged until Build() returns or Clear() is called. Records are
// not validated here (see ValidateUserRecord): the caller validates once, at put time.
// Partition keys and explicit hash keys are stored once each in the aggregate's key tables.
// After warm-up, adding records does not allocate; Build() allocates exactly once.
class AggregateEncoder {
 public:
  AggregateEncoder();
  ~AggregateEncoder();
  AggregateEncoder(const AggregateEncoder&) = delete;
  AggregateEncoder& operator=(const AggregateEncoder&) = delete;
  AggregateEncoder(AggregateEncoder&&) noexcept;
  AggregateEncoder& operator=(AggregateEncoder&&) noexcept;

  // Adds the record and returns true when the aggregate, with it, is at most `max_size` bytes
  // (encoded, magic and digest included); otherwise leaves the encoder unchanged and returns
  // false. An empty encoder never takes a record whose aggregate alone exceeds `max_size`.
  bool AddIfFits(const UserRecordView& record, size_t max_size);
  // The same with the partition key's hash computed by the caller (the producer has the MD5 it
  // routes by), for any 64-bit hash function that gives equal keys equal hashes. Use one function
  // for all the records of an aggregate: with two, a key seen under both is stored twice (still
  // a valid aggregate, a little larger). The two-argument form uses std::hash.
  bool AddIfFits(const UserRecordView& record, size_t max_size, uint64_t partition_key_hash);
  // Starts loading the key-table slot of that hash into the cache, ahead of AddIfFits. With
  // many shards the tables outgrow the cache and that lookup was a miss per record.
  void Prefetch(uint64_t partition_key_hash) const;

  // Adds the record whatever the size.
  void Add(const UserRecordView& record) { AddIfFits(record, SIZE_MAX); }

  // The exact size Build() will produce: magic + protobuf + digest.
  size_t size() const { return kAggregationOverhead + message_size_; }
  // Number of user records added; the next record's sub-sequence number.
  size_t count() const { return records_.size(); }
  bool empty() const { return records_.empty(); }

  // The aggregated record's bytes (size() of them). The encoder keeps its records: call
  // Clear() to start the next aggregate.
  std::string Build() const;
  // Writes size() bytes to `out`.
  void BuildInto(uint8_t* out) const;

  // Build() without the MD5 trailer (its 16 bytes left zero), for WriteDigests to fill in
  // later: digesting many aggregates together is about four times faster (eight at a time in
  // AVX2 lanes) than one by one.
  std::string BuildWithoutDigest() const;
  // The same into `out`, whatever it held (its buffer is reused; the trailer's bytes are then
  // whatever was there).
  void BuildWithoutDigestInto(std::string& out) const;
  // Fills in the trailers of aggregates from BuildWithoutDigest.
  static void WriteDigests(std::span<std::string* const> aggregates);

  // Forgets every record; keeps the memory for the next aggregate.
  void Clear();

 private:
  // Writes everything but the trailer; returns where the trailer goes.
  uint8_t* WriteUndigested(uint8_t* out) const;

  struct Entry {
    uint32_t partition_key_index;
    int32_t explicit_hash_key_index;  // -1 when none
    std::string_view data;
    uint32_t body_size;  // encoded size of the Record message, without its tag and length
  };
  class KeyTable;

  std::vector<Entry> records_;
  std::unique_ptr<KeyTable> partition_keys_;
  std::unique_ptr<KeyTable> explicit_hash_keys_;
  size_t message_size_ = 0;  // protobuf bytes so far
};

// One user record read out of a Kinesis record. The views point into the bytes given to
// Deaggregate (or to the outer partition key), so they live as long as those do.
struct DeaggregatedRecord {
  std::string_view partition_key;
  std::optional<std::string_view> explicit_hash_key;
  std::string_view data;
  // Index inside the aggregate; 0 for a plain record.
  uint32_t sub_sequence_number = 0;
  // False when the Kinesis record was a plain (not aggregated) record passed through.
  bool aggregated = false;
};

struct DeaggregateOptions {
  // Recompute the MD5 trailer and reject a mismatch. On by default, as in the KCL.
  bool verify_checksum = true;
  // When set, every user record's hash key (explicit, or the MD5 of its partition key) must lie
  // in this closed range: the hash-key range of the shard the record was read from. The KCL
  // drops aggregates that break it; here the whole record is rejected with an error naming the
  // first user record outside the range.
  std::optional<std::pair<HashKey, HashKey>> shard_hash_key_range;
};

// True when `data` starts with the magic and is long enough to hold the digest: a consumer
// treats anything else as a plain record.
bool IsAggregated(std::string_view data);

// Appends the user records held in one Kinesis record to `out`. A plain record (see
// IsAggregated) passes through as one user record with the outer partition key and explicit
// hash key. An aggregate whose digest, protobuf, or table indexes are damaged is rejected with
// Corruption naming what is wrong and where; `out` is then left as it was. Never crashes on any
// input.
Status Deaggregate(std::string_view data, std::string_view outer_partition_key,
                   std::optional<std::string_view> outer_explicit_hash_key,
                   const DeaggregateOptions& options, std::vector<DeaggregatedRecord>* out);

}  // namespace kinesis

#endif  // KINESIS_AGGREGATION_H_
