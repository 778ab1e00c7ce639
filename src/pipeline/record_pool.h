// RecordPool: recycles the fixed-size memory blocks of PendingRecords.
//
// A record is allocated by the thread that puts it and freed by the result dispatcher's thread.
// With glibc's malloc that pattern always takes the slow path: the freeing thread's cache fills,
// the allocating thread's cache stays empty, and both go to the arena under its lock (a tenth
// of the engine benchmark's CPU time was _int_malloc on the put thread). Here each thread keeps
// a small cache of free blocks; a thread that frees more than it allocates hands whole batches to
// a shared list, where a thread that allocates more than it frees picks them up: one lock per
// kBatch blocks instead of an arena lock per block.
//
// Process-wide (blocks are plain memory, not tied to a producer), bounded: the shared list keeps
// at most kMaxSharedBatches batches and frees the rest. The bound is large (262,144 blocks)
// because results come in bursts: the answers of one engine pass can free 100,000 records at
// once, and with 64 batches most of them went back to malloc while the putting thread, a
// moment later, took new ones from it (a tenth of the put thread's time). Under
// AddressSanitizer blocks are not recycled, so a use after free is still caught.
//
// Thread safety: Allocate and Free from any thread.
#ifndef KINESIS_PIPELINE_RECORD_POOL_H_
#define KINESIS_PIPELINE_RECORD_POOL_H_

#include <cstddef>

namespace kinesis {

class RecordPool {
 public:
  static constexpr size_t kBatch = 256;
  static constexpr size_t kMaxSharedBatches = 1024;

  // A block of `block_size` bytes, 64-byte aligned (every caller passes the same size).
  static void* Allocate(size_t block_size);
  static void Free(void* block);
  // Blocks in the shared list now (for tests).
  static size_t SharedBlocks();
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_RECORD_POOL_H_
