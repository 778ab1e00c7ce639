// SerialWorker: one thread that runs posted tasks in order.
//
// For work that can leave the thread that produces it: the HTTP back-end builds and signs each
// PutRecords request here (JSON with base64, SHA-256 of the body), so the engine thread goes on
// aggregating while the previous request is prepared, and the two use both cores.
//
// Thread safety: Post from any thread, also from a task. The destructor runs every task already
// posted, then joins; it must not run on the worker thread.
#ifndef KINESIS_COMMON_SERIAL_WORKER_H_
#define KINESIS_COMMON_SERIAL_WORKER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "common/thread_name.h"

namespace kinesis {

class SerialWorker {
 public:
  explicit SerialWorker(const char* name) : name_(name), thread_([this] { Run(); }) {}
  ~SerialWorker() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  void Post(std::function<void()> task) {
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
  }

 private:
  void Run() {
    NameThisThread(name_);
    std::vector<std::function<void()>> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;  // stopping, and nothing left
        batch.swap(tasks_);
      }
      for (auto& task : batch) task();
      batch.clear();
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<std::function<void()>> tasks_;  // guarded by mu_
  bool stopping_ = false;                     // guarded by mu_
  const char* name_;
  std::thread thread_;
};

}  // namespace kinesis

#endif  // KINESIS_COMMON_SERIAL_WORKER_H_
