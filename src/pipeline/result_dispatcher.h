// ResultDispatcher: runs user callbacks on a thread of its own, in the order results arrive.
//
// The engine produces results; a slow callback must never hold up sending, so the engine only
// appends to a queue here. After a record's callback has run, the dispatcher frees the record
// and releases its share of the buffer budget (one release per Kinesis record's members). A
// callback that puts may need that share at once: the budget then asks the dispatcher to give
// back what it holds (GiveBack), the charges of every record whose callback has started. Flush
// completions go through the same queue, so a flush's future is ready only after the
// callbacks of the records it waited for have run. A callback that throws is logged and
// counted (CallbackErrors); the next ones still run.
//
// Thread safety: Post* from any thread; callbacks run on the dispatcher thread.
#ifndef KINESIS_PIPELINE_RESULT_DISPATCHER_H_
#define KINESIS_PIPELINE_RESULT_DISPATCHER_H_

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "common/log.h"
#include "kinesis/producer.h"
#include "metrics/metrics_registry.h"
#include "pipeline/buffer_budget.h"
#include "pipeline/pending_record.h"

namespace kinesis {

// What the user records of one Kinesis record that succeeded have in common: built once by the
// engine, read by the dispatcher for each member's PutResult, freed after the last. Building
// each PutResult (its strings and attempts) on the dispatcher thread, which also frees it,
// keeps those allocations in one thread's cache: made by the engine and freed here, they were
// a fifth of the engine benchmark's CPU time.
struct SharedOutcome {
  std::string shard_id;
  std::string sequence_number;
  std::vector<Attempt> history;  // the Kinesis record's attempts, the last one successful
  bool aggregated = false;
  // Members staged with it and not yet delivered, plus one held by the engine while it stages
  // them (results are published in slices, so the first members may be delivered before the
  // last is staged).
  std::atomic<uint32_t> refs{1};

  // Drops one reference; the last frees it.
  static void Release(SharedOutcome* shared) {
    if (shared != nullptr && shared->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      delete shared;
    }
  }
};

class ResultDispatcher {
 public:
  // Registers itself with `budget` as its releaser (BufferBudget::set_releaser).
  ResultDispatcher(BufferBudget& budget, MetricsRegistry& metrics, Logger& log);
  ~ResultDispatcher();  // runs what is queued, then stops

  // Whether the caller runs on the dispatcher thread, that is inside a callback (or a task).
  bool OnDispatcherThread() const { return std::this_thread::get_id() == thread_id_; }

  // Runs `task` after every result posted before it (results staged and not yet published
  // are not "posted": publish them first).
  void PostTask(std::function<void()> task);

  // Takes ownership of `record`: its callback runs with `result`, then it is freed. For one
  // producing thread (the engine's): queues a result without taking the lock or waking
  // the dispatcher; Publish() hands everything staged over at once. Batching a pass's results
  // this way saves a lock and a wake-up per record.
  void Stage(PendingRecord* record, std::unique_ptr<PutResult> result) {
    StageItem(Failure{record, std::move(result)}, 1);
  }
  // The same for a success: its result is `shared` (which the dispatcher frees after the last
  // member staged with it), with `index` as its sub-sequence number when aggregated, and the
  // record's own attempts first.
  void StageSuccess(PendingRecord* record, SharedOutcome* shared, uint32_t index) {
    shared->refs.fetch_add(1, std::memory_order_relaxed);
    StageItem(Success{record, shared, index}, 1);
  }
  // The same for all the members of a Kinesis record, in order (the index is the position),
  // taking over the caller's hold on `shared`: one item instead of one per member.
  void StageSuccesses(std::vector<PendingRecord*> members, SharedOutcome* shared) {
    size_t n = members.size();
    StageItem(Successes{std::move(members), shared}, n);
  }
  void Publish();

 private:
  // A pass that produces many results (a 500-record answer of aggregates holds tens of
  // thousands) hands them over in slices, so callbacks start while the engine is still
  // reading the answer instead of after it: the last record's wait is the longer of the two
  // threads' work, not their sum.
  static constexpr size_t kPublishEvery = 1024;

  // What travels to the dispatcher thread, one of:
  struct Failure {  // a record's failure
    PendingRecord* record;
    std::unique_ptr<PutResult> result;
  };
  struct Success {  // a record's success, from `shared` (one reference held), at `index`
    PendingRecord* record;
    SharedOutcome* shared;
    uint32_t index;
  };
  struct Successes {  // the members of a Kinesis record that succeeded, index = position
    std::vector<PendingRecord*> members;
    SharedOutcome* shared;  // one reference held for them all
  };
  struct Task {  // work to run after the results before it (flush completions)
    std::function<void()> run;
  };
  using Item = std::variant<Failure, Success, Successes, Task>;

  template <typename T>
  void StageItem(T&& item, size_t records) {
    staged_records_ += records;
    staged_.emplace_back(std::in_place_type<std::decay_t<T>>, std::forward<T>(item));
    if (staged_records_ >= kPublishEvery) Publish();
  }
  // Each runs the callbacks of its item, then frees the records.
  void Deliver(Failure& failure);
  void Deliver(Success& success);
  void Deliver(Successes& successes);
  // Runs the callback of a success with attempts of its own (the caller frees the record).
  void DeliverSuccess(PendingRecord* record, const SharedOutcome& shared, uint32_t index);
  // Runs `record`'s callback, if any, with `result`: what it throws is caught (Threw).
  void Call(const PendingRecord& record, const PutResult& result) {
    if (!record.callback) return;
    try {
      record.callback(result);
    } catch (const std::exception& e) {
      Threw(record, e.what());
    } catch (...) {
      Threw(record, "an exception not derived from std::exception");
    }
  }
  // Logs and counts a callback that threw.
  void Threw(const PendingRecord& record, const char* what);
  // Counts `record`'s charge as held: it is released by GiveBack, after its callback or sooner.
  void Hold(const PendingRecord& record) {
    held_bytes_ += record.charge();
    ++held_records_;
  }
  // Releases the charges held (dispatcher thread only: after callbacks, or from a put in one).
  void GiveBack() {
    if (held_records_ == 0) return;
    budget_.Release(held_bytes_, held_records_);
    held_bytes_ = 0;
    held_records_ = 0;
  }
  // A success's result without its attempts and sub-sequence number.
  static PutResult SuccessOf(const SharedOutcome& shared);
  void Run();

  BufferBudget& budget_;
  MetricsRegistry& metrics_;
  Logger& log_;
  // Charges of records whose callbacks have started, not yet released; dispatcher thread only.
  uint64_t held_bytes_ = 0;
  uint64_t held_records_ = 0;
  std::mutex mu_;
  std::condition_variable ready_;
  std::vector<Item> queue_;    // guarded by mu_
  std::vector<Item> staged_;   // the staging thread's only
  size_t staged_records_ = 0;  // results in staged_; the staging thread's only
  bool stopping_ = false;      // guarded by mu_
  std::thread thread_;
  std::thread::id thread_id_;  // thread_'s, set before any record is put
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_RESULT_DISPATCHER_H_
