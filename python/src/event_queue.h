// EventQueue: the native log lines and statistics documents on their way to Python. The C API
// calls OnLog and OnStats on the producer's threads (OnLog under the producer's log lock), where
// taking the GIL could deadlock with a Python thread that holds it and logs through the
// producer; so they only queue, and the package's events thread takes them with Take (GIL
// released while it waits) and hands them to `logging` and the stats callback.
//
// Bounded: past kMaxEvents the oldest are dropped and counted (dropped()).
//
// Thread safety: every method from any thread; Take waits without the GIL.
#ifndef KINESIS_PYTHON_EVENT_QUEUE_H_
#define KINESIS_PYTHON_EVENT_QUEUE_H_

#include <pybind11/pybind11.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "kinesis/c/monitoring.h"

namespace kinesis::python {

class EventQueue {
 public:
  static constexpr size_t kMaxEvents = 10000;

  // kinesis_log_callback and kinesis_stats_callback; `opaque` is the EventQueue.
  static void OnLog(kinesis_log_level level, const char* component, const char* message,
                    const char* line, void* opaque);
  static void OnStats(const char* json, size_t size, void* opaque);

  // Up to `max` events, waiting up to `timeout_ms` for the first: a list of
  // ("log", level 0..3, component, message, line) and ("stats", json) tuples, oldest first.
  pybind11::list Take(size_t max, int64_t timeout_ms);

  uint64_t dropped() const;

 private:
  struct Event {
    bool stats = false;
    int level = 0;
    std::string component, message, line;  // for stats: line is the document
  };
  void Push(Event event);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Event> events_;  // guarded by mu_
  uint64_t dropped_ = 0;      // guarded by mu_
};

}  // namespace kinesis::python

#endif  // KINESIS_PYTHON_EVENT_QUEUE_H_
