// CompletionQueue: what the package's completion thread resolves futures with. Three kinds of
// entries, in the order they were pushed: the result of one record put with `put`, a put_many
// batch whose records all have results, and a barrier (flush's: resolved once everything pushed
// before it is).
//
// Each entry carries its Python future as an owned reference (PyObject*) that is only moved
// around without the GIL: the engine's callback thread fills and pushes entries, never touching
// a reference count; the completion thread takes them with Pop and hands the references to
// Python with the GIL held.
//
// Thread safety: Push from any thread (the engine's callback thread, or a putting thread for
// barriers); Pop from any thread, usually the one completion thread. Both take mu_.
#ifndef KINESIS_PYTHON_COMPLETION_QUEUE_H_
#define KINESIS_PYTHON_COMPLETION_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kinesis/c/producer.h"

namespace kinesis::python {

// One record's result: the C API's kinesis_result, with its strings copied one after the other
// (each NUL-terminated) and its pointers moved there: into `inline_text` when they fit, as a
// success's shard id and sequence number do (no allocation on the engine's callback thread, no
// free under the GIL), else into `text`. Not to be copied or moved once filled.
struct RecordResult {
  kinesis_result result{};
  char inline_text[96];
  std::string text;

  // Copies `from` (valid only during the call that gave it).
  void Fill(const kinesis_result& from);
};

class CompletionQueue;
class PutBatch;

struct Completion {
  enum class Kind { kRecord, kBatch, kBarrier };

  Kind kind = Kind::kBarrier;
  // The future to resolve: an owned reference, dereferenced only with the GIL held.
  void* future = nullptr;
  RecordResult record;               // kRecord
  std::shared_ptr<PutBatch> batch;   // kBatch
  CompletionQueue* queue = nullptr;  // kRecord: where OnRecordResult pushes it

  // The C API callback of a record put with this entry as its user_data.
  static void OnRecordResult(const kinesis_result* result, void* user_data);
};

class CompletionQueue {
 public:
  void Push(std::unique_ptr<Completion> entry);

  // Up to `max` entries in the order pushed, waiting up to `timeout_ms` for the first.
  std::vector<std::unique_ptr<Completion>> Pop(size_t max, int64_t timeout_ms);

  // Every entry, without waiting.
  std::deque<std::unique_ptr<Completion>> TakeAll() noexcept;

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::unique_ptr<Completion>> entries_;  // guarded by mu_
  // Whether Pop waits: Push wakes it only then, once per burst of results rather than once per
  // record.
  bool waiting_ = false;  // guarded by mu_
};

}  // namespace kinesis::python

#endif  // KINESIS_PYTHON_COMPLETION_QUEUE_H_
