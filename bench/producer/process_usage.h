// What this benchmark process has used so far: CPU time and peak resident memory.
#ifndef KINESIS_BENCH_PRODUCER_PROCESS_USAGE_H_
#define KINESIS_BENCH_PRODUCER_PROCESS_USAGE_H_

#include <sys/resource.h>

namespace kinesis::bench {

// User + system CPU seconds of the whole process (every thread).
inline double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// Peak resident set size, KiB.
inline long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace kinesis::bench

#endif  // KINESIS_BENCH_PRODUCER_PROCESS_USAGE_H_
