// PendingRecord: one accepted user record, from Put() until its result is delivered.
//
// One allocation per record, its partition key and small data included (New, Delete), recycled
// (RecordPool). The caller's thread fills it and hands it to the engine through an MPSC ring
// (MpscRing); from then on only the engine thread touches it, until the result dispatcher runs
// its callback and frees it.
#ifndef KINESIS_PIPELINE_PENDING_RECORD_H_
#define KINESIS_PIPELINE_PENDING_RECORD_H_

#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/hash_key.h"
#include "kinesis/producer.h"
#include "pipeline/record_pool.h"

namespace kinesis {

struct StreamState;

// A stream name, interned by the producer so records carry a pointer, not a copy of the name.
// Lives as long as the producer.
struct StreamKey {
  std::string name;
  StreamState* state = nullptr;  // the engine's state for it; engine thread only
};

// What a record costs the buffer budget: an estimate of the memory it holds until its callback
// has run. Its data and key twice (the record, and its copy in an aggregate or a request) and
// the bookkeeping (this struct, its strings' allocations, the result and its strings, the
// attempts, its share of request bodies in flight, the allocator's own overhead and
// fragmentation). Measured with bench/producer at three budgets (64, 128, 256 MiB): peak RSS
// grows by about 2 x (data + key) + 1,000 bytes per record the budget admits, for 100-byte and
// 10 KB records alike; 640 bytes (the first estimate) let a 256 MiB budget reach 400 MB.
inline constexpr uint64_t kRecordOverheadBytes = 1024;
inline uint64_t BufferCharge(uint64_t data_bytes, uint64_t key_bytes) {
  return 2 * (data_bytes + key_bytes) + kRecordOverheadBytes;
}

struct PendingRecord {
  // Filled by Put(), read-only afterwards.
  StreamKey* stream = nullptr;
  std::string_view partition_key;  // the bytes after this struct, in the same allocation
  std::string_view data;           // after the key in the same allocation, or owned_data's
  std::string owned_data;          // the caller's string, when the data is not inline
  std::optional<std::string> explicit_hash_key;
  HashKey hash;
  // The partition key's hash for the aggregate's key table (AggregateEncoder::AddIfFits): the
  // low half of its MD5, which routing computed anyway, or std::hash when an explicit hash key
  // routes the record.
  uint64_t key_hash = 0;
  PutCallback callback;
  int64_t put_ns = 0;      // steady clock
  int64_t expires_ns = 0;  // put_ns + RecordTtl, saturated
  int64_t send_by_ns = 0;  // put_ns + RecordMaxBufferedTime, saturated

  // Engine thread only.
  uint64_t epoch = 0;  // flush epoch at ingestion (per stream)
  bool done = false;   // its result has been produced
  // Attempts made in Kinesis records it has left (re-routed after a failure or a map change);
  // the attempts of the Kinesis record it is in are that record's `history`.
  std::vector<Attempt> attempts;

  // Bytes charged to the buffer budget.
  uint64_t charge() const { return BufferCharge(data.size(), partition_key.size()); }

  // A record holding `partition_key` and `data`. Most records come in a block of one size,
  // recycled by RecordPool, with their key and, when key and data fit in kInlineBytes, their
  // data copied after the struct: the caller's string is then freed at once by the thread that
  // allocated it, where the allocator is fastest (freeing it on the result thread, as a moved-in
  // string would be, costs both threads a trip to the allocator's shared arena). Larger data is
  // moved in, not copied. Delete frees the record.
  static constexpr size_t kInlineBytes = 320;
  static PendingRecord* New(std::string_view partition_key, std::string&& data) {
    bool pooled = partition_key.size() <= kInlineBytes;
    void* memory = pooled ? RecordPool::Allocate(sizeof(PendingRecord) + kInlineBytes)
                          : ::operator new(sizeof(PendingRecord) + partition_key.size());
    auto* record = new (memory) PendingRecord;
    char* key = reinterpret_cast<char*>(record + 1);
    if (!partition_key.empty()) std::memcpy(key, partition_key.data(), partition_key.size());
    record->partition_key = std::string_view(key, partition_key.size());
    if (pooled && data.size() <= kInlineBytes - partition_key.size()) {
      char* inline_data = key + partition_key.size();
      if (!data.empty()) std::memcpy(inline_data, data.data(), data.size());
      record->data = std::string_view(inline_data, data.size());
      std::string().swap(data);  // free the caller's buffer on the caller's thread
    } else {
      record->owned_data = std::move(data);
      record->data = record->owned_data;
    }
    return record;
  }
  static void Delete(PendingRecord* record) {
    bool pooled = record->partition_key.size() <= kInlineBytes;
    record->~PendingRecord();
    if (pooled) {
      RecordPool::Free(record);
    } else {
      ::operator delete(record);
    }
  }
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_PENDING_RECORD_H_
