#include "common/clock.h"

#include <time.h>

namespace kinesis {
namespace {

int64_t Read(clockid_t id) {
  timespec now;
  clock_gettime(id, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

class MonotonicClock final : public Clock {
 public:
  int64_t NowNs() const override { return Read(CLOCK_MONOTONIC); }
  int64_t CoarseNowNs() const override { return Read(CLOCK_MONOTONIC_COARSE); }
};

}  // namespace

const Clock& SystemClock() {
  static const MonotonicClock clock;
  return clock;
}

int64_t SteadyNowNs() { return Read(CLOCK_MONOTONIC); }
int64_t CoarseNowNs() { return Read(CLOCK_MONOTONIC_COARSE); }

}  // namespace kinesis
