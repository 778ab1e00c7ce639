#include "pipeline/record_pool.h"

#include <algorithm>
#include <mutex>
#include <new>
#include <vector>

namespace kinesis {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRecycle = false;
#else
constexpr bool kRecycle = true;
#endif

using Batch = std::vector<void*>;

// Blocks start on a cache line: a record's header and inline bytes then span as few lines as
// their size allows.
constexpr std::align_val_t kAlignment{64};
// How much of the next block Allocate prefetches: what a small record fills (a record's
// header and a 32-character key with 100 bytes of data are five lines); fetching the whole
// block kept more misses in flight than the core tracks and stalled the putting thread.
constexpr size_t kPrefetchBytes = 320;

struct Shared {
  std::mutex mu;
  std::vector<Batch> batches;  // guarded by mu; each of kBatch blocks
};

// Never destroyed: threads may free blocks while the process exits.
Shared& TheShared() {
  static Shared* shared = new Shared;
  return *shared;
}

struct LocalCache {
  Batch blocks;
  ~LocalCache() {
    for (void* b : blocks) ::operator delete(b, kAlignment);
  }
};

LocalCache& Local() {
  thread_local LocalCache cache;
  return cache;
}

}  // namespace

void* RecordPool::Allocate(size_t block_size) {
  if (!kRecycle) return ::operator new(block_size, kAlignment);
  Batch& local = Local().blocks;
  if (local.empty()) {
    Shared& shared = TheShared();
    std::lock_guard lock(shared.mu);
    if (!shared.batches.empty()) {
      local.swap(shared.batches.back());
      shared.batches.pop_back();
    }
  }
  if (local.empty()) return ::operator new(block_size, kAlignment);
  void* block = local.back();
  local.pop_back();
  // The next block was last written by the thread that freed it, on another core: start
  // taking its cache lines over now, so filling it on the next call does not wait for them.
  if (!local.empty()) {
    const char* next = static_cast<const char*>(local.back());
    size_t fetch = std::min(block_size, kPrefetchBytes);
    for (size_t line = 0; line < fetch; line += 64) __builtin_prefetch(next + line, 1);
  }
  return block;
}

void RecordPool::Free(void* block) {
  if (!kRecycle) {
    ::operator delete(block, kAlignment);
    return;
  }
  Batch& local = Local().blocks;
  local.push_back(block);
  if (local.size() < 2 * kBatch) return;
  // Keep one batch for this thread's own allocations; hand the other over, or free it.
  Batch handed(local.end() - kBatch, local.end());
  local.resize(kBatch);
  Shared& shared = TheShared();
  {
    std::lock_guard lock(shared.mu);
    if (shared.batches.size() < kMaxSharedBatches) {
      shared.batches.push_back(std::move(handed));
      return;
    }
  }
  for (void* b : handed) ::operator delete(b, kAlignment);
}

size_t RecordPool::SharedBlocks() {
  Shared& shared = TheShared();
  std::lock_guard lock(shared.mu);
  size_t blocks = 0;
  for (const Batch& b : shared.batches) blocks += b.size();
  return blocks;
}

}  // namespace kinesis
