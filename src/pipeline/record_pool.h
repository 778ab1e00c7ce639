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
// Blocks come in sizes of whole cache lines up to kMaxBlock, each size with its own caches and
// shared list. Blocks are carved from 8 MiB slabs, mapped with their pages at once (record_pool.cc
// says why). Process-wide (blocks are plain memory, not tied to a producer); slabs are kept for the
// life of the process, so the pool holds as many blocks as were ever in use at once, which each
// producer's buffer budget bounds (BufferMaxRecords, BufferMaxBytes). Under AddressSanitizer
// blocks come from the allocator and are not recycled, so a use after free is still caught.
//
// Thread safety: Allocate and Free from any thread.
#ifndef KINESIS_PIPELINE_RECORD_POOL_H_
#define KINESIS_PIPELINE_RECORD_POOL_H_

#include <cstddef>

namespace kinesis {

class RecordPool {
 public:
  static constexpr size_t kBatch = 256;
  static constexpr size_t kMaxBlock = 512;

  // A block of `block_size` bytes (at most kMaxBlock; rounded up to a multiple of 64),
  // 64-byte aligned. Free takes the size it was allocated with.
  static void* Allocate(size_t block_size);
  static void Free(void* block, size_t block_size);
  // Blocks in the shared list now, and blocks carved from slabs so far (for tests).
  static size_t SharedBlocks(size_t block_size);
  static size_t CarvedBlocks(size_t block_size);
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_RECORD_POOL_H_
