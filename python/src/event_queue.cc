#include "event_queue.h"

#include <chrono>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace kinesis::python {

void EventQueue::OnLog(kinesis_log_level level, const char* component, const char* message,
                       const char* line, void* opaque) {
  Event event;
  event.level = static_cast<int>(level);
  event.component = component;
  event.message = message;
  event.line = line;
  static_cast<EventQueue*>(opaque)->Push(std::move(event));
}

void EventQueue::OnStats(const char* json, size_t size, void* opaque) {
  Event event;
  event.stats = true;
  event.line.assign(json, size);
  static_cast<EventQueue*>(opaque)->Push(std::move(event));
}

void EventQueue::Push(Event event) {
  {
    std::lock_guard lock(mu_);
    if (events_.size() == kMaxEvents) {
      events_.pop_front();
      ++dropped_;
    }
    events_.push_back(std::move(event));
  }
  cv_.notify_one();
}

py::list EventQueue::Take(size_t max, int64_t timeout_ms) {
  std::vector<Event> taken;
  {
    // Waiting without the GIL, released by hand (as NativeProducer::Resolve, for the same
    // reason: a daemon thread ended at finalization must not unwind through a destructor).
    PyThreadState* state = PyEval_SaveThread();
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms),
                   [this] { return !events_.empty(); });
      while (!events_.empty() && taken.size() < max) {
        taken.push_back(std::move(events_.front()));
        events_.pop_front();
      }
    }
    PyEval_RestoreThread(state);
  }
  py::list out;
  for (Event& e : taken) {
    if (e.stats) {
      out.append(py::make_tuple("stats", py::str(e.line)));
    } else {
      out.append(py::make_tuple("log", e.level, py::str(e.component), py::str(e.message),
                                py::str(e.line)));
    }
  }
  return out;
}

uint64_t EventQueue::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace kinesis::python
