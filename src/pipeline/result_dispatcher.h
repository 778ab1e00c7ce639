// ResultDispatcher: runs user callbacks on a thread of its own, in the order results arrive.
//
// The engine produces results; a slow callback must never hold up sending, so the engine only
// appends to a queue here. After a record's callback has run, the dispatcher frees the record
// and releases its share of the buffer budget. Flush completions go through the same queue,
// so a flush's future is ready only after the callbacks of the records it waited for have run.
//
// Thread safety: Post* from any thread; callbacks run on the dispatcher thread.
#ifndef KINESIS_PIPELINE_RESULT_DISPATCHER_H_
#define KINESIS_PIPELINE_RESULT_DISPATCHER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "kinesis/producer.h"
#include "pipeline/buffer_budget.h"
#include "pipeline/pending_record.h"

namespace kinesis {

class ResultDispatcher {
 public:
  explicit ResultDispatcher(BufferBudget& budget);
  ~ResultDispatcher();  // runs what is queued, then stops

  // Runs `task` after every result posted before it (results staged and not yet published
  // are not "posted": publish them first).
  void PostTask(std::function<void()> task);

  // Takes ownership of `record`: its callback runs with `result`, then it is freed. For one
  // producing thread (the engine's): queues a result without taking the lock or waking
  // the dispatcher; Publish() hands everything staged over at once. Batching a pass's results
  // this way saves a lock and a wake-up per record.
  void Stage(PendingRecord* record, PutResult result) {
    staged_.push_back(Item{record, std::move(result), nullptr});
  }
  void Publish();

 private:
  struct Item {
    PendingRecord* record;  // null for a task
    PutResult result;
    std::function<void()> task;
  };
  void Run();

  BufferBudget& budget_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::vector<Item> queue_;  // guarded by mu_
  std::vector<Item> staged_;  // the staging thread's only
  bool stopping_ = false;    // guarded by mu_
  std::thread thread_;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_RESULT_DISPATCHER_H_
