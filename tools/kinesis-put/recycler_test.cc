#include "recycler.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace kinesis::put {
namespace {

struct Held {
  std::shared_ptr<int> owner;
  std::string text;
};

TEST(RecyclerTest, GiveResetsAndTheSameObjectsComeBack) {
  Recycler<Held> recycler;
  auto shared = std::make_shared<int>(7);
  Held* a = recycler.Take();
  a->owner = shared;
  a->text = "record";
  EXPECT_EQ(shared.use_count(), 2);
  recycler.Give(a);
  EXPECT_EQ(shared.use_count(), 1) << "Give releases what the object held";
  Held* again = recycler.Take();
  EXPECT_EQ(again, a);
  EXPECT_EQ(again->owner, nullptr);
  EXPECT_TRUE(again->text.empty());
}

struct WithReset {
  std::string kept;  // Reset leaves it
  int resets = 0;
  void Reset() { ++resets; }
};

TEST(RecyclerTest, GiveCallsResetWhenTheTypeHasOne) {
  Recycler<WithReset> recycler;
  WithReset* a = recycler.Take();
  a->kept = "left as it was";
  recycler.Give(a);
  WithReset* again = recycler.Take();
  ASSERT_EQ(again, a);
  EXPECT_EQ(again->resets, 1);
  EXPECT_EQ(again->kept, "left as it was");
}

TEST(RecyclerTest, ObjectsGivenOnAnotherThreadAreTakenAgainNotMadeAnew) {
  Recycler<Held> recycler;
  std::vector<Held*> first;
  for (int i = 0; i < 100; ++i) first.push_back(recycler.Take());
  std::thread giver([&] {
    for (Held* h : first) recycler.Give(h);
  });
  giver.join();
  std::set<Held*> made(first.begin(), first.end());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(made.count(recycler.Take()), 1u);
  EXPECT_EQ(made.count(recycler.Take()), 0u) << "the 101st is new";
}

}  // namespace
}  // namespace kinesis::put
