// Clock: where the producer reads the time, so that a test can set it.
//
// The engine and the producer read the steady (monotonic) clock through a Clock they are
// given: the system's in production, a manual one in tests, which then step the engine
// without a thread (Engine with EngineOptions::threaded false, see engine.h) and move time
// forward by hand. Nothing in the data path calls std::chrono::steady_clock directly.
//
// Thread safety: every method from any thread.
#ifndef KINESIS_COMMON_CLOCK_H_
#define KINESIS_COMMON_CLOCK_H_

#include <cstdint>

namespace kinesis {

class Clock {
 public:
  virtual ~Clock() = default;
  // Nanoseconds of a monotonic clock.
  virtual int64_t NowNs() const = 0;
  // The same clock, read cheaply and possibly a little behind NowNs() (never ahead).
  virtual int64_t CoarseNowNs() const { return NowNs(); }
};

// The system's monotonic clock (CLOCK_MONOTONIC). Its CoarseNowNs is CLOCK_MONOTONIC_COARSE:
// the time as of the kernel's last tick, 1 to 4 ms behind NowNs(), read in a quarter of its
// time (10 ns against 40 on the benchmark machine, where the precise read was 4% of the CPU
// time of a put).
const Clock& SystemClock();

// SystemClock().NowNs() and CoarseNowNs(), for code that has no Clock to be given (log lines,
// monitoring, the time a request took on the wire).
int64_t SteadyNowNs();
int64_t CoarseNowNs();

}  // namespace kinesis

#endif  // KINESIS_COMMON_CLOCK_H_
