#include "pipeline/result_dispatcher.h"

#include "common/thread_name.h"

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
    queue_.push_back(Item{nullptr, nullptr, 0, nullptr, std::move(task)});
  }
  ready_.notify_one();
}

void ResultDispatcher::Run() {
  NameThisThread("kp-callbacks");
  std::vector<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      batch.swap(queue_);
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      // Records were written long ago by other threads: fetch the one 8 ahead, and the data of
      // the one 4 ahead (fetched 4 items ago), so their cache misses overlap the callbacks.
      if (i + 8 < batch.size() && batch[i + 8].record != nullptr) {
        __builtin_prefetch(batch[i + 8].record);
      }
      if (i + 4 < batch.size() && batch[i + 4].record != nullptr) {
        __builtin_prefetch(batch[i + 4].record->data.data());
      }
      Item& item = batch[i];
      if (item.record == nullptr) {
        item.task();
        continue;
      }
      Deliver(item);
    }
    batch.clear();
  }
}

void ResultDispatcher::Deliver(Item& item) {
  PendingRecord* record = item.record;
  if (SharedOutcome* shared = item.shared) {
    if (record->callback) {
      PutResult r;
      r.success = true;
      r.shard_id = shared->shard_id;
      r.sequence_number = shared->sequence_number;
      r.aggregated = shared->aggregated;
      r.sub_sequence_number = shared->aggregated ? item.index : 0;
      r.attempts = std::move(record->attempts);
      r.attempts.insert(r.attempts.end(), shared->history.begin(), shared->history.end());
      record->callback(std::move(r));
    }
    SharedOutcome::Release(shared);
  } else if (record->callback) {
    record->callback(std::move(*item.result));
  }
  budget_.Release(record->charge());
  PendingRecord::Delete(record);
}

}  // namespace kinesis
