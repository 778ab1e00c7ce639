// StreamRegistry: the simulated streams and shards -- hash-key layout as the service lays it
// out, routing, sequence numbers, and resharding (split, merge, uniform scaling).
//
// Thread safety: none; the simulator holds its state lock around every call.
#ifndef KINESIS_SIM_STREAM_REGISTRY_H_
#define KINESIS_SIM_STREAM_REGISTRY_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/hash_key.h"
#include "sim/api_error.h"
#include "sim/sim_types.h"
#include "sim/token_bucket.h"

namespace kinesis::sim {

struct Shard {
  std::string id;  // shardId-000000000000
  HashKey start, end;
  int parent = -1;    // index in Stream::shards
  int adjacent = -1;  // adjacent parent (merge)
  std::string starting_sequence;
  std::string ending_sequence;  // empty while open
  int64_t created_ms = 0;       // wall clock
  int64_t closed_ms = -1;
  TokenBucket byte_limit, record_limit;
  ShardCounters counters;
  std::vector<StoredRecord> records;  // only when storage is on
  // The end of a PutRecords result entry after the counter digits: the 30-digit index, then
  // `","ShardId":"shardId-..."}`; built once so answers need no formatting per record.
  std::string result_tail;
  // The same for CBOR answers: the 30 digits, then the "ShardId" field (CborResultTail).
  std::string cbor_result_tail;
  bool open() const { return ending_sequence.empty(); }
};

struct Stream {
  std::string name;
  std::string arn;
  int64_t created_ms = 0;
  std::vector<Shard> shards;  // every shard ever, by index (the id's number)
  std::vector<int> open;      // open shards, ordered by starting hash key
  uint64_t next_sequence = 1;
  size_t initial_shards = 0;

  // The open shard whose range holds `key`.
  int Route(const HashKey& key) const;
  // A new sequence number for a record in shard `index`: increasing per shard and per stream.
  std::string NextSequence(int index);
  // Appends the digits of NextSequence(index) without the 30-digit shard index (the caller
  // appends Shard::result_tail, which starts with it).
  void AppendNextSequenceHead(std::string* out);
};

// Starting hash key of shard i of n in a fresh stream: i * floor(2^128 / n); each shard ends
// one below the next one's start, the last at 2^128 - 1.
HashKey ShardStartingKey(size_t i, size_t n);
std::string ShardIdOf(size_t index);

class StreamRegistry {
 public:
  StreamRegistry(const SimOptions& options) : options_(options) {}  // NOLINT

  MaybeError Create(std::string_view name, int shard_count, int64_t now_us, int64_t wall_ms);
  MaybeError Delete(std::string_view name);
  // nullptr when the stream does not exist.
  Stream* Find(std::string_view name);
  const std::map<std::string, Stream, std::less<>>& streams() const { return streams_; }
  ApiError NotFound(std::string_view name) const;

  MaybeError Split(Stream& s, std::string_view shard_id, std::string_view new_start, int64_t now_us,
                   int64_t wall_ms);
  MaybeError Merge(Stream& s, std::string_view shard_id, std::string_view adjacent_id,
                   int64_t now_us, int64_t wall_ms);
  MaybeError Scale(Stream& s, int count, int64_t now_us, int64_t wall_ms);
  // Index of the shard named `shard_id`, or -1.
  static int ShardIndex(const Stream& s, std::string_view shard_id);

 private:
  int AddShard(Stream& s, HashKey start, HashKey end, int parent, int adjacent, int64_t now_us,
               int64_t wall_ms);
  void Close(Stream& s, int index, int64_t wall_ms);
  void RebuildOpen(Stream& s);

  const SimOptions& options_;
  std::map<std::string, Stream, std::less<>> streams_;
};

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_STREAM_REGISTRY_H_
