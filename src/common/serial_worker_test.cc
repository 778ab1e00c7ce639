// SerialWorker: tasks run in order on one thread other than the poster's, a task may post
// more, and the destructor runs everything posted before it returns.
#include "common/serial_worker.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace kinesis {
namespace {

TEST(SerialWorker, RunsTasksInOrderOffThePostingThreadAndDrainsOnDestruction) {
  std::vector<int> ran;  // written by the worker only; read after it is destroyed
  std::thread::id poster = std::this_thread::get_id();
  bool off_thread = true;
  {
    SerialWorker worker("kp-test");
    for (int i = 0; i < 1000; ++i) {
      worker.Post([&, i] {
        off_thread = off_thread && std::this_thread::get_id() != poster;
        ran.push_back(i);
        if (i == 999) worker.Post([&] { ran.push_back(1000); });  // posted from a task
      });
    }
  }
  ASSERT_EQ(ran.size(), 1001u);
  for (int i = 0; i <= 1000; ++i) EXPECT_EQ(ran[static_cast<size_t>(i)], i);
  EXPECT_TRUE(off_thread);
}

}  // namespace
}  // namespace kinesis
