// MpscRing: bounded, refuses when full, keeps each producer's order under contention, loses
// and repeats nothing across many laps, Peek sees exactly what Pop will return, and after
// Close no push succeeds while every push before it is still popped.
#include "pipeline/mpsc_ring.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace kinesis {
namespace {

struct Item {
  int producer = 0;
  int index = 0;
};

TEST(MpscRing, RefusesWhenFullAndPeeksAhead) {
  MpscRing<Item> ring(4);
  std::vector<Item> items(5);
  EXPECT_TRUE(ring.Empty());
  EXPECT_EQ(ring.Pop(), nullptr);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(ring.TryPush(&items[i])) << i;
  EXPECT_FALSE(ring.TryPush(&items[4]));  // full: the fifth is refused
  EXPECT_EQ(ring.Peek(0), &items[0]);
  EXPECT_EQ(ring.Peek(3), &items[3]);
  EXPECT_EQ(ring.Peek(4), nullptr);  // nothing there yet
  EXPECT_EQ(ring.Pop(), &items[0]);
  EXPECT_TRUE(ring.TryPush(&items[4]));  // one cell free again
  EXPECT_EQ(ring.Peek(3), &items[4]);
  for (int i = 1; i < 5; ++i) EXPECT_EQ(ring.Pop(), &items[i]);
  EXPECT_EQ(ring.Pop(), nullptr);
  EXPECT_TRUE(ring.Empty());
}

TEST(MpscRing, ManyProducersKeepTheirOrderOverManyLaps) {
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 100000;
  MpscRing<Item> ring(256);  // small: producers find it full, positions wrap many times
  std::vector<std::vector<Item>> items(kProducers, std::vector<Item>(kPerProducer));
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        items[p][i] = Item{p, i};
        while (!ring.TryPush(&items[p][i])) std::this_thread::yield();
      }
    });
  }
  std::vector<int> next(kProducers, 0);
  int popped = 0;
  while (popped < kProducers * kPerProducer) {
    const Item* ahead = ring.Peek(1);
    Item* item = ring.Pop();
    if (item == nullptr) {
      std::this_thread::yield();
      continue;
    }
    ASSERT_EQ(item->index, next[item->producer]) << "producer " << item->producer;
    ++next[item->producer];
    ++popped;
    if (ahead != nullptr) {
      EXPECT_EQ(ring.Peek(0), ahead);
    }
  }
  for (auto& t : producers) t.join();
  EXPECT_TRUE(ring.Empty());
  EXPECT_EQ(ring.Pop(), nullptr);
  for (int p = 0; p < kProducers; ++p) EXPECT_EQ(next[p], kPerProducer);
}

TEST(MpscRing, CloseRefusesLaterPushesAndKeepsEarlierOnes) {
  MpscRing<Item> ring(4);
  std::vector<Item> items(3);
  EXPECT_TRUE(ring.TryPush(&items[0]));
  EXPECT_TRUE(ring.TryPush(&items[1]));
  ring.Close();
  EXPECT_FALSE(ring.Empty());
  EXPECT_FALSE(ring.TryPush(&items[2]));
  EXPECT_EQ(ring.Pop(), &items[0]);
  EXPECT_EQ(ring.Pop(), &items[1]);
  EXPECT_EQ(ring.Pop(), nullptr);
  EXPECT_TRUE(ring.Empty());
  EXPECT_FALSE(ring.TryPush(&items[2]));
  ring.Close();  // again: nothing changes
  EXPECT_TRUE(ring.Empty());
}

TEST(MpscRing, EveryPushThatSucceededBeforeCloseIsPopped) {
  constexpr int kProducers = 4;
  MpscRing<Item> ring(1024);
  Item item;
  std::atomic<int> pushed{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> producers;
  producers.reserve(kProducers);
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&] {
      while (!stop.load()) {
        if (ring.TryPush(&item)) pushed.fetch_add(1);
      }
    });
  }
  int popped = 0;
  while (popped < 100000) popped += ring.Pop() != nullptr;
  ring.Close();
  while (!ring.Empty()) popped += ring.Pop() != nullptr;
  stop = true;
  for (auto& t : producers) t.join();
  EXPECT_EQ(popped, pushed.load());
  EXPECT_EQ(ring.Pop(), nullptr);
}

}  // namespace
}  // namespace kinesis
