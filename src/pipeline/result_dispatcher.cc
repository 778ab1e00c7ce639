#include "pipeline/result_dispatcher.h"

namespace kinesis {

ResultDispatcher::ResultDispatcher(BufferBudget& budget)
    : budget_(budget), thread_([this] { Run(); }) {}

ResultDispatcher::~ResultDispatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  ready_.notify_one();
  thread_.join();
}

void ResultDispatcher::Publish() {
  if (staged_.empty()) return;
  {
    std::lock_guard lock(mu_);
    if (queue_.empty()) {
      queue_.swap(staged_);
    } else {
      for (Item& item : staged_) queue_.push_back(std::move(item));
      staged_.clear();
    }
  }
  ready_.notify_one();
}

void ResultDispatcher::PostTask(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Item{nullptr, {}, std::move(task)});
  }
  ready_.notify_one();
}

void ResultDispatcher::Run() {
  std::vector<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      batch.swap(queue_);
    }
    for (Item& item : batch) {
      if (item.record == nullptr) {
        item.task();
        continue;
      }
      if (item.record->callback) item.record->callback(std::move(item.result));
      budget_.Release(item.record->charge());
      PendingRecord::Delete(item.record);
    }
    batch.clear();
  }
}

}  // namespace kinesis
