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
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/prefetch.h"
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
// has run. Its data three times (the record, its copy in an aggregate, and its base64 in a
// request body while the request is in flight), its key twice, and the bookkeeping (this
// struct, the result, the attempts, the allocator's own overhead and fragmentation). Measured
// with bench/producer at three budgets (64, 128, 256 MiB): peak RSS grew by about
// 2 x (data + key) + 1,000 bytes per record the budget admits while requests were built one at
// a time; once the engine kept eight 5 MB requests in flight for 10 KB records, their bodies
// added a third copy (340 MB at 256 MiB), which is now charged too.
inline constexpr uint64_t kRecordOverheadBytes = 1024;
inline uint64_t BufferCharge(uint64_t data_bytes, uint64_t key_bytes) {
  return 3 * data_bytes + 2 * key_bytes + kRecordOverheadBytes;
}

struct PendingRecord {
  // Filled by Put(), read-only afterwards.
  StreamKey* stream = nullptr;
  std::string_view partition_key;           // the bytes after this struct, in the same block
  std::string_view explicit_hash_key;       // after the key; empty when the record has none
  std::string_view data;                    // after those, or *owned_data
  std::unique_ptr<std::string> owned_data;  // the caller's string, when the data is not inline
  HashKey hash;
  // The partition key's hash for the aggregate's key table (AggregateEncoder::AddIfFits): the
  // low half of its MD5, which routing computed anyway, or std::hash when an explicit hash key
  // routes the record.
  uint64_t key_hash = 0;
  bool hash_pending = false;  // `hash` and `key_hash` are still to be computed from the key
  uint16_t block_size = 0;    // of its RecordPool block; 0: allocated on its own
  bool done = false;          // engine thread only: its result has been produced
  PutCallback callback;
  int64_t put_ns = 0;      // steady clock, coarse (CoarseNowNs)
  int64_t expires_ns = 0;  // put_ns + RecordTtl, saturated
  int64_t send_by_ns = 0;  // put_ns + RecordMaxBufferedTime, saturated

  // Engine thread only.
  uint64_t epoch = 0;  // flush epoch at ingestion (per stream)
  // Attempts made in Kinesis records it has left (re-routed after a failure or a map change);
  // the attempts of the Kinesis record it is in are that record's `history`.
  std::vector<Attempt> attempts;

  // Bytes charged to the buffer budget.
  uint64_t charge() const { return BufferCharge(data.size(), partition_key.size()); }

  // A record holding `partition_key`, `explicit_hash_key` (empty: none) and `data`, in a block
  // recycled by RecordPool: whole 64-byte lines, as few as hold the struct, the keys and the
  // data, up to RecordPool::kMaxBlock. The keys are copied after the struct, and the data too
  // when it fits: `Put`'s string is then freed at once by the thread that allocated it, where
  // the allocator is fastest (freeing it on the result thread, as a moved-in string would be,
  // costs both threads a trip to the allocator's shared arena). Larger data is moved in, and the
  // block holds the keys; larger data to copy (no `movable`) goes after the keys in one
  // allocation of its own (one malloc and free a record, not three: block, string, buffer).
  // A 100-byte record with a 32-character key fills five lines. Every block is written by the
  // putting thread, read by the engine and freed by the callback thread: the fewer lines and
  // pages the blocks span, the fewer cache and TLB misses each takes. Keys too long for the
  // largest block (never valid ones) get an allocation of their own. Delete frees the record.
  // Bytes after the struct in the largest block (defined below the struct: its size).
  static const size_t kMaxInline;
  static PendingRecord* New(std::string_view partition_key, std::string_view explicit_hash_key,
                            std::string&& data) {
    return New(partition_key, explicit_hash_key, data, &data);
  }
  // The same with `data` copied, or moved from `*movable` when that is given (`data` then
  // views it).
  static PendingRecord* New(std::string_view partition_key, std::string_view explicit_hash_key,
                            std::string_view data, std::string* movable) {
    size_t keys = partition_key.size() + explicit_hash_key.size();
    size_t all = keys + data.size();
    bool inline_data = all <= kMaxInline || movable == nullptr;
    size_t inline_bytes = inline_data ? all : keys;
    size_t block =
        inline_bytes <= kMaxInline
            ? (sizeof(PendingRecord) + inline_bytes + kCacheLine - 1) / kCacheLine * kCacheLine
            : 0;
    void* memory = block != 0 ? RecordPool::Allocate(block)
                              : ::operator new(sizeof(PendingRecord) + inline_bytes);
    auto* record = new (memory) PendingRecord;
    record->block_size = static_cast<uint16_t>(block);
    char* p = reinterpret_cast<char*>(record + 1);
    record->partition_key = Place(p, partition_key);
    record->explicit_hash_key = Place(p, explicit_hash_key);
    if (inline_data) {
      record->data = Place(p, data);
      if (movable != nullptr) std::string().swap(*movable);  // freed on the caller's thread
    } else {
      record->owned_data = std::make_unique<std::string>(std::move(*movable));
      record->data = *record->owned_data;
    }
    return record;
  }
  static void Delete(PendingRecord* record) {
    size_t block = record->block_size;
    record->~PendingRecord();
    if (block != 0) {
      RecordPool::Free(record, block);
    } else {
      ::operator delete(record);
    }
  }

 private:
  // Copies `bytes` to `p`, advances it, and returns the copy (never a null pointer: empty data
  // is still copied with memcpy into aggregates).
  static std::string_view Place(char*& p, std::string_view bytes) {
    if (bytes.empty()) return std::string_view(p, 0);
    std::memcpy(p, bytes.data(), bytes.size());
    std::string_view placed(p, bytes.size());
    p += bytes.size();
    return placed;
  }
};
inline constexpr size_t PendingRecord::kMaxInline = RecordPool::kMaxBlock - sizeof(PendingRecord);

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_PENDING_RECORD_H_
