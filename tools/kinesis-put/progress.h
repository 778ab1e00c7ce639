// Progress: the live status line of kinesis-put on a terminal, and the one place that writes
// messages to standard error while it is shown (so a message never lands inside the line).
//
//   kinesis-put  120,000 read  118,500 ok  39,500 rec/s  3.9 MB/s  in flight 1,500  retries 3
//   throttled 2  errors 0
//
// Rates are over the last tick (half a second). With a metrics reader (set_metrics), lines per
// stream follow, and for each stream its busy shards (throttled, within 10% of a shard's write
// limits, or carrying more than twice their share), from the producer's metrics over the last
// 5 seconds:
//
//     stream logs  39,500 records/s  3.9 MB/s  throttled 1,210/s
//       shard shardId-000000000000  30,100 records/s (76%)  throttled 1,210/s  hot
//
// On a terminal the block is redrawn in place; elsewhere each tick appends it.
// When disabled, Print still prints messages.
//
// Thread safety: every method may be called from any thread.
#ifndef KINESIS_PUT_PROGRESS_H_
#define KINESIS_PUT_PROGRESS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kinesis/metrics.h"
#include "run_stats.h"

namespace kinesis::put {

class Progress {
 public:
  // `in_flight` is asked once per tick (the producer's outstanding records).
  Progress(bool enabled, const RunStats& stats, std::function<uint64_t()> in_flight);
  ~Progress();

  // The producer's metrics over kDetailWindow (Producer::Metrics); set before Start.
  static constexpr std::chrono::seconds kDetailWindow{5};
  void set_metrics(std::function<std::vector<MetricValue>()> read) { metrics_ = std::move(read); }

  void Start();
  // Draws the line a last time, ends it with a newline, and stops the ticks.
  void Stop();
  // A message on its own line (the status line is redrawn at the next tick).
  void Print(const std::string& message);

 private:
  void Run();
  std::string Line(double seconds);
  void DrawLocked(double seconds);
  void EraseLocked();

  bool enabled_;
  const RunStats& stats_;
  std::function<uint64_t()> in_flight_;
  std::function<std::vector<MetricValue>()> metrics_;  // may be empty
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;                                // guarded by mu_
  int drawn_lines_ = 0;                              // guarded by mu_: status lines on screen
  uint64_t last_ok_ = 0, last_bytes_ = 0;            // guarded by mu_: at the last tick
  std::chrono::steady_clock::time_point last_tick_;  // guarded by mu_
  std::thread thread_;
};

// The stream and busy-shard lines of `metrics` (a window's values, shard granularity), each
// without a newline; none when no stream put a record or was throttled.
std::vector<std::string> StreamLines(const std::vector<MetricValue>& metrics);

// 1234567 -> "1,234,567".
std::string Grouped(uint64_t n);

}  // namespace kinesis::put

#endif  // KINESIS_PUT_PROGRESS_H_
