// Md5DigestMany: many MD5 digests at once, eight messages side by side in the 32-bit lanes of
// AVX2 registers.
//
// MD5 is a chain of 64 dependent steps per block: one message cannot go faster than about five
// cycles a byte, and the aggregates' trailers were a seventh of the producer's CPU. Eight
// messages in lanes run the same instructions for eight at once. Long messages are grouped by
// size, so the lanes of a group have about as many blocks; the blocks all of a group's messages
// have run in lanes, the rest of each message (its last blocks and the padding) in the scalar
// code. Messages of one padded block (up to 55 bytes: partition keys) are padded side by side
// and go eight at a time too. Sixteen messages go as two sets of eight, their steps interleaved:
// within a set every step waits for the one before, and a second, independent chain fills the
// cycles the first leaves idle. Where the CPU has AVX-512VL the same code (md5_lanes.inc,
// compiled twice) rotates with one instruction and computes each round's function with one,
// on the same 256-bit registers. Without AVX2 (checked at run time, and on other
// architectures) everything goes through Md5Digest.
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "aggregation/md5.h"
#include "aggregation/md5_tables.h"
#include "common/cpu_features.h"

namespace kinesis {

#if defined(__x86_64__)
namespace {

using md5_tables::kShift;
using md5_tables::kSine;

constexpr size_t kLanes = 8;
constexpr size_t kSets = 2;  // sets of lanes interleaved

constexpr size_t kShortMax = 55;  // bytes: a message in one padded block

namespace avx2 {
#define KP_MD5_LANES_TARGET __attribute__((target("avx2")))
#define KP_MD5_LANES_VL 0
#include "aggregation/md5_lanes.inc"
#undef KP_MD5_LANES_TARGET
#undef KP_MD5_LANES_VL
}  // namespace avx2

// The same where the CPU has AVX-512VL: a step is six instructions instead of about ten.
namespace avx512vl {
#define KP_MD5_LANES_TARGET __attribute__((target("avx2,avx512f,avx512vl")))
#define KP_MD5_LANES_VL 1
#include "aggregation/md5_lanes.inc"
#undef KP_MD5_LANES_TARGET
#undef KP_MD5_LANES_VL
}  // namespace avx512vl

struct LaneCode {
  void (*digest)(const Md5Job* const* jobs, size_t count);
  void (*digest_short)(const Md5Job* const* jobs, size_t count);
};

// The lane code for this CPU, or null without AVX2 (checked once).
const LaneCode* BestLanes() {
  static const LaneCode* const best = []() -> const LaneCode* {
    static constexpr LaneCode kAvx2{avx2::DigestLanes, avx2::DigestShortLanes};
    static constexpr LaneCode kAvx512Vl{avx512vl::DigestLanes, avx512vl::DigestShortLanes};
    if (Cpu().avx512vl && Cpu().avx512f) return &kAvx512Vl;
    return Cpu().avx2 ? &kAvx2 : nullptr;
  }();
  return best;
}

// Md5DigestMany with the given lane code (null: one by one).
void DigestMany(std::span<const Md5Job> jobs, const LaneCode* code) {
  // Between one block and this many bytes, the lanes' setup costs more than they save.
  constexpr size_t kLaneMinBytes = 1024;
  constexpr size_t kGroup = kSets * kLanes;  // jobs digested together
  const Md5Job* short_jobs[kGroup];
  size_t shorts = 0;
  std::vector<const Md5Job*> long_jobs;  // allocates only when there are some
  const bool lanes = code != nullptr;
  for (const Md5Job& job : jobs) {
    if (lanes && job.size <= kShortMax) {
      short_jobs[shorts++] = &job;
      if (shorts == kGroup) {
        code->digest_short(short_jobs, shorts);
        shorts = 0;
      }
    } else if (lanes && job.size >= kLaneMinBytes) {
      long_jobs.push_back(&job);
    } else {
      Md5Digest(job.data, job.size, job.digest);
    }
  }
  if (shorts == 1) {
    Md5Digest(short_jobs[0]->data, short_jobs[0]->size, short_jobs[0]->digest);
  } else if (shorts > 1) {
    code->digest_short(short_jobs, shorts);
  }
  // Similar sizes share a group, so few blocks are left to the scalar code.
  std::sort(long_jobs.begin(), long_jobs.end(),
            [](const Md5Job* x, const Md5Job* y) { return x->size < y->size; });
  for (size_t start = 0; start < long_jobs.size(); start += kGroup) {
    size_t count = std::min(kGroup, long_jobs.size() - start);
    if (count == 1) {
      Md5Digest(long_jobs[start]->data, long_jobs[start]->size, long_jobs[start]->digest);
      continue;
    }
    code->digest(&long_jobs[start], count);
  }
}

}  // namespace

void Md5DigestMany(std::span<const Md5Job> jobs) { DigestMany(jobs, BestLanes()); }

namespace md5_testing {
void DigestManyWithAvx2(std::span<const Md5Job> jobs) {
  static constexpr LaneCode kAvx2{avx2::DigestLanes, avx2::DigestShortLanes};
  DigestMany(jobs, Cpu().avx2 ? &kAvx2 : nullptr);
}
}  // namespace md5_testing

#else

void Md5DigestMany(std::span<const Md5Job> jobs) {
  for (const Md5Job& job : jobs) Md5Digest(job.data, job.size, job.digest);
}

namespace md5_testing {
void DigestManyWithAvx2(std::span<const Md5Job> jobs) { Md5DigestMany(jobs); }
}  // namespace md5_testing

#endif  // defined(__x86_64__)

}  // namespace kinesis
