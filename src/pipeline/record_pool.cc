#include "pipeline/record_pool.h"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <new>
#include <vector>

#include "common/prefetch.h"

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
constexpr std::align_val_t kAlignment{kCacheLine};
// How much of the next block Allocate prefetches: what a small record fills (a record's
// header and a 32-character key with 100 bytes of data are five lines); fetching the whole
// block kept more misses in flight than the core tracks and stalled the putting thread.
constexpr size_t kPrefetchBytes = 320;
// New blocks come in slabs of 8 MiB, mapped with their pages: one call instead of a page fault
// per 4 KiB and glibc growing its thread arena 128 KiB at a time, an mprotect call each that
// splits and merges the arena's mapping (3% of the process's CPU time in mprotect, 4% in page
// faults, in a 2-million-record run of bench/producer while the pool grew to 200,000 blocks).
constexpr size_t kSlabBytes = size_t{8} << 20;

constexpr size_t kClasses = RecordPool::kMaxBlock / kCacheLine;

// A block size's class: sizes are rounded up to whole lines.
size_t ClassOf(size_t block_size) { return (block_size + kCacheLine - 1) / kCacheLine - 1; }

struct Shared {
  std::mutex mu;
  // Guarded by mu, per class: batches of kBatch blocks, and blocks carved.
  std::array<std::vector<Batch>, kClasses> batches;
  std::array<size_t, kClasses> carved{};
};

// Never destroyed: threads may free blocks while the process exits.
Shared& TheShared() {
  static Shared* shared = new Shared;
  return *shared;
}

struct LocalCache {
  std::array<Batch, kClasses> blocks;  // per class
  // A thread that ends gives its blocks to the others.
  ~LocalCache() {
    Shared& shared = TheShared();
    std::lock_guard lock(shared.mu);
    for (size_t c = 0; c < kClasses; ++c) {
      if (!blocks[c].empty()) shared.batches[c].push_back(std::move(blocks[c]));
    }
  }
};

LocalCache& Local() {
  thread_local LocalCache cache;
  return cache;
}

// Carves a new slab: one batch of its blocks into `local`, the others to the shared list, lowest
// addresses handed out first. Falls back to the allocator when the mapping is refused.
void Carve(size_t size_class, Batch& local) {
  size_t size = (size_class + 1) * kCacheLine;
  size_t count = kSlabBytes / size;
  void* mapped = mmap(nullptr, kSlabBytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  char* slab = mapped != MAP_FAILED ? static_cast<char*>(mapped) : nullptr;
  std::vector<Batch> batches;
  for (size_t first = 0; first < count; first += RecordPool::kBatch) {
    Batch batch;
    size_t end = std::min(count, first + RecordPool::kBatch);
    for (size_t i = end; i-- > first;) {
      batch.push_back(slab != nullptr ? slab + i * size : ::operator new(size, kAlignment));
    }
    batches.push_back(std::move(batch));
  }
  local = std::move(batches.front());
  Shared& shared = TheShared();
  std::lock_guard lock(shared.mu);
  shared.carved[size_class] += count;
  for (size_t b = batches.size(); b-- > 1;) {
    shared.batches[size_class].push_back(std::move(batches[b]));
  }
}

}  // namespace

void* RecordPool::Allocate(size_t block_size) {
  if (!kRecycle) return ::operator new(block_size, kAlignment);
  size_t c = ClassOf(block_size);
  Batch& local = Local().blocks[c];
  if (local.empty()) {
    Shared& shared = TheShared();
    std::unique_lock lock(shared.mu);
    if (!shared.batches[c].empty()) {
      local.swap(shared.batches[c].back());
      shared.batches[c].pop_back();
    } else {
      lock.unlock();
      Carve(c, local);
    }
  }
  void* block = local.back();
  local.pop_back();
  // The next block was last written by the thread that freed it, on another core: start
  // taking its cache lines over now, so filling it on the next call does not wait for them.
  if (!local.empty()) {
    PrefetchLines</*kForWrite=*/true>(local.back(), std::min(block_size, kPrefetchBytes));
  }
  return block;
}

void RecordPool::Free(void* block, size_t block_size) {
  if (!kRecycle) {
    ::operator delete(block, kAlignment);
    return;
  }
  size_t c = ClassOf(block_size);
  Batch& local = Local().blocks[c];
  local.push_back(block);
  if (local.size() < 2 * kBatch) return;
  // Keep one batch for this thread's own allocations; hand the other over.
  Batch handed(local.end() - kBatch, local.end());
  local.resize(kBatch);
  Shared& shared = TheShared();
  std::lock_guard lock(shared.mu);
  shared.batches[c].push_back(std::move(handed));
}

size_t RecordPool::SharedBlocks(size_t block_size) {
  Shared& shared = TheShared();
  std::lock_guard lock(shared.mu);
  size_t blocks = 0;
  for (const Batch& b : shared.batches[ClassOf(block_size)]) blocks += b.size();
  return blocks;
}

size_t RecordPool::CarvedBlocks(size_t block_size) {
  Shared& shared = TheShared();
  std::lock_guard lock(shared.mu);
  return shared.carved[ClassOf(block_size)];
}

}  // namespace kinesis
