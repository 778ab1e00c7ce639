// RecordPool: blocks freed on one thread come back to another that allocates, a batch at a
// time; freed blocks are reused before new ones are carved; blocks are whole and never handed
// out twice.
#include "pipeline/record_pool.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

namespace kinesis {
namespace {

constexpr size_t kSize = 280;

#if !defined(__SANITIZE_ADDRESS__)
TEST(RecordPool, BlocksFreedOnOneThreadAreReusedByAnother) {
  // A "put" thread allocates, a "dispatcher" thread frees everything; then the put thread
  // allocates again and gets blocks the dispatcher handed over.
  std::vector<void*> first(4 * RecordPool::kBatch);
  std::thread put([&] {
    for (void*& b : first) {
      b = RecordPool::Allocate(kSize);
      std::memset(b, 0xAB, kSize);
    }
  });
  put.join();
  std::set<void*> freed(first.begin(), first.end());
  std::thread dispatcher([&] {
    for (void* b : first) RecordPool::Free(b, kSize);
  });
  dispatcher.join();  // its exit frees the batch it kept for itself
  size_t reused = 0;
  std::vector<void*> second(2 * RecordPool::kBatch);
  std::thread put_again([&] {
    for (void*& b : second) {
      b = RecordPool::Allocate(kSize);
      reused += freed.count(b);
    }
    for (void* b : second) RecordPool::Free(b, kSize);
  });
  put_again.join();
  // The dispatcher handed over at least 3 of its 4 batches (it keeps one).
  EXPECT_GE(reused, 2 * RecordPool::kBatch);
}

TEST(RecordPool, FreedBlocksAreReusedBeforeANewSlabIsCarved) {
  // One thread allocates many blocks, another frees them all, a third allocates as many
  // again: it gets the freed ones, and the pool carves nothing more.
  const size_t n = 40000;  // more than one slab's blocks
  std::vector<void*> blocks(n);
  std::thread make([&] {
    for (void*& b : blocks) b = RecordPool::Allocate(kSize);
  });
  make.join();
  size_t carved = RecordPool::CarvedBlocks(kSize);
  EXPECT_GE(carved, n);
  for (void* b : blocks) EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 64, 0u);
  std::thread free_all([&] {
    for (void* b : blocks) RecordPool::Free(b, kSize);
  });
  free_all.join();
  EXPECT_GE(RecordPool::SharedBlocks(kSize), n);
  std::thread take([&] {
    std::vector<void*> again(n);
    for (void*& b : again) b = RecordPool::Allocate(kSize);
    std::set<void*> distinct(again.begin(), again.end());
    EXPECT_EQ(distinct.size(), n) << "a block was handed out twice";
    for (void* b : again) RecordPool::Free(b, kSize);
  });
  take.join();
  EXPECT_EQ(RecordPool::CarvedBlocks(kSize), carved);
}

TEST(RecordPool, EachBlockSizeHasItsOwnBlocks) {
  // A block of one size is never handed out for another: freeing a 320-byte block and asking
  // for a 512-byte one gives a different block.
  void* small = RecordPool::Allocate(320);
  RecordPool::Free(small, 320);
  void* large = RecordPool::Allocate(512);
  EXPECT_NE(large, small);
  std::memset(large, 0xCD, 512);
  EXPECT_EQ(RecordPool::Allocate(320), small);  // this thread's cache, last in first out
  RecordPool::Free(small, 320);
  RecordPool::Free(large, 512);
}
#endif

TEST(RecordPool, ManyThreadsAllocateAndFreeAcrossEachOther) {
  // Producer threads allocate and write blocks; one consumer frees them. Under the thread
  // sanitizer this checks the hand-over; anywhere, that every block is whole and distinct.
  constexpr int kThreads = 4;
  constexpr size_t kEach = 20000;
  std::vector<std::vector<void*>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < kEach; ++i) {
        void* b = RecordPool::Allocate(kSize);
        std::memset(b, t + 1, kSize);
        made[t].push_back(b);
        if (made[t].size() % 1000 == 0) {  // give some back from this thread too
          RecordPool::Free(made[t].back(), kSize);
          made[t].pop_back();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<void*> all;
  for (int t = 0; t < kThreads; ++t) {
    for (void* b : made[t]) {
      EXPECT_EQ(static_cast<unsigned char*>(b)[kSize - 1], t + 1);
      all.insert(b);
    }
  }
  size_t total = 0;
  for (auto& m : made) total += m.size();
  EXPECT_EQ(all.size(), total) << "a block was handed out twice";
  std::thread consumer([&] {
    for (auto& m : made) {
      for (void* b : m) RecordPool::Free(b, kSize);
    }
  });
  consumer.join();
}

}  // namespace
}  // namespace kinesis
