#include "pipeline/result_dispatcher.h"

#include <type_traits>

#include "common/prefetch.h"
#include "common/thread_name.h"
#include "common/log.h"

namespace kinesis {
namespace {

// Records were written long ago by other threads, and the callback, the budget release and
// freeing read all of a record's header: fetch the header of the record this many ahead, so
// the cache misses overlap the callbacks before it.
constexpr size_t kPrefetchAhead = 6;

void Prefetch(const PendingRecord* record) { PrefetchLines(record, sizeof(PendingRecord)); }

}  // namespace

ResultDispatcher::ResultDispatcher(BufferBudget& budget, MetricsRegistry& metrics, Logger& log)
    : budget_(budget), metrics_(metrics), log_(log), thread_([this] { Run(); }), thread_id_(thread_.get_id()) {
  budget_.set_releaser(thread_id_, [this] { GiveBack(); });
}

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
  staged_records_ = 0;
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
    queue_.emplace_back(std::in_place_type<Task>, Task{std::move(task)});
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
      if (i + kPrefetchAhead < batch.size()) {
        const Item& ahead = batch[i + kPrefetchAhead];
        if (const auto* f = std::get_if<Failure>(&ahead)) Prefetch(f->record);
        if (const auto* s = std::get_if<Success>(&ahead)) Prefetch(s->record);
      }
      std::visit(
          [this](auto& item) {
            if constexpr (std::is_same_v<std::decay_t<decltype(item)>, Task>) {
              item.run();
            } else {
              Deliver(item);
            }
          },
          batch[i]);
    }
    batch.clear();
  }
}

void ResultDispatcher::Deliver(Failure& failure) {
  PendingRecord* record = failure.record;
  Hold(*record);
  Call(*record, *failure.result);
  GiveBack();
  PendingRecord::Delete(record);
}

void ResultDispatcher::Deliver(Success& success) {
  PendingRecord* record = success.record;
  Hold(*record);
  DeliverSuccess(record, *success.shared, success.index);
  SharedOutcome::Release(success.shared);
  GiveBack();
  PendingRecord::Delete(record);
}

void ResultDispatcher::Deliver(Successes& item) {
  // One result for all the members; each callback sees it with its own sub-sequence number.
  // A member with attempts of its own (from Kinesis records it left) gets a result of its own.
  // Their charges are given back once for the whole aggregate (or sooner, to a put in one of
  // the callbacks).
  const SharedOutcome& shared = *item.shared;
  PutResult common = SuccessOf(shared);
  common.attempts = shared.history;
  const std::vector<PendingRecord*>& members = item.members;
  for (size_t j = 0; j < members.size(); ++j) {
    if (j + kPrefetchAhead < members.size()) Prefetch(members[j + kPrefetchAhead]);
    PendingRecord* record = members[j];
    Hold(*record);
    if (!record->attempts.empty()) {
      DeliverSuccess(record, shared, static_cast<uint32_t>(j));
    } else if (record->callback) {
      common.sub_sequence_number = shared.aggregated ? static_cast<uint32_t>(j) : 0;
      Call(*record, common);
    }
    PendingRecord::Delete(record);
  }
  SharedOutcome::Release(item.shared);
  GiveBack();
}

void ResultDispatcher::Threw(const PendingRecord& record, const char* what) {
  std::string_view stream = record.stream != nullptr ? std::string_view(record.stream->name) : "";
  metrics_.Record(Metric::kCallbackErrors, stream, {}, 1);
  log_.Log(LogLevel::kError, "pipeline",
                    "a result callback threw; the callback thread carries on with the next",
                    {{"stream", stream}, {"what", what}});
}

PutResult ResultDispatcher::SuccessOf(const SharedOutcome& shared) {
  PutResult r;
  r.success = true;
  r.shard_id = shared.shard_id;
  r.sequence_number = shared.sequence_number;
  r.aggregated = shared.aggregated;
  return r;
}

void ResultDispatcher::DeliverSuccess(PendingRecord* record, const SharedOutcome& shared,
                                      uint32_t index) {
  if (record->callback) {
    PutResult r = SuccessOf(shared);
    r.sub_sequence_number = shared.aggregated ? index : 0;
    r.attempts = std::move(record->attempts);
    r.attempts.insert(r.attempts.end(), shared.history.begin(), shared.history.end());
    Call(*record, r);
  }
}

}  // namespace kinesis
