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
// cycles the first leaves idle. Without AVX2 (checked at run time, and on other architectures)
// everything goes through Md5Digest.
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "aggregation/md5.h"
#include "aggregation/md5_tables.h"

namespace kinesis {

#if defined(__x86_64__)
namespace {

using md5_tables::kShift;
using md5_tables::kSine;

constexpr size_t kLanes = 8;
constexpr size_t kSets = 2;  // sets of lanes interleaved

// Transposes: word j of the 32 bytes at rows[i] + offset becomes lane i of out[j].
__attribute__((target("avx2"))) inline void LoadTransposed(const uint8_t* const rows[kLanes],
                                                           size_t offset, __m256i out[8]) {
  __m256i r[kLanes];
  for (size_t i = 0; i < kLanes; ++i) {
    r[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows[i] + offset));
  }
  __m256i t0 = _mm256_unpacklo_epi32(r[0], r[1]), t1 = _mm256_unpackhi_epi32(r[0], r[1]);
  __m256i t2 = _mm256_unpacklo_epi32(r[2], r[3]), t3 = _mm256_unpackhi_epi32(r[2], r[3]);
  __m256i t4 = _mm256_unpacklo_epi32(r[4], r[5]), t5 = _mm256_unpackhi_epi32(r[4], r[5]);
  __m256i t6 = _mm256_unpacklo_epi32(r[6], r[7]), t7 = _mm256_unpackhi_epi32(r[6], r[7]);
  __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
  __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
  __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
  __m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
  out[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
  out[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
  out[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
  out[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
  out[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
  out[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
  out[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
  out[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

template <int kBits>
__attribute__((target("avx2"))) inline __m256i Rotl(__m256i x) {
  return _mm256_or_si256(_mm256_slli_epi32(x, kBits), _mm256_srli_epi32(x, 32 - kBits));
}

// One MD5 step for all lanes; kStep picks the round function, message word and rotation.
template <int kStep>
__attribute__((target("avx2"))) inline void Step(__m256i& a, __m256i b, __m256i c, __m256i d,
                                                 const __m256i m[16]) {
  constexpr int round = kStep / 16;
  constexpr int word = round == 0   ? kStep
                       : round == 1 ? (5 * kStep + 1) % 16
                       : round == 2 ? (3 * kStep + 5) % 16
                                    : (7 * kStep) % 16;
  __m256i f;
  if constexpr (round == 0) {
    f = _mm256_xor_si256(d, _mm256_and_si256(b, _mm256_xor_si256(c, d)));
  } else if constexpr (round == 1) {
    f = _mm256_xor_si256(c, _mm256_and_si256(d, _mm256_xor_si256(b, c)));
  } else if constexpr (round == 2) {
    f = _mm256_xor_si256(_mm256_xor_si256(b, c), d);
  } else {
    f = _mm256_xor_si256(c, _mm256_or_si256(b, _mm256_xor_si256(d, _mm256_set1_epi32(-1))));
  }
  __m256i sum = _mm256_add_epi32(
      _mm256_add_epi32(a, f),
      _mm256_add_epi32(m[word], _mm256_set1_epi32(static_cast<int>(kSine[kStep]))));
  a = _mm256_add_epi32(b, Rotl<kShift[round][kStep % 4]>(sum));
}

// A step, then the names rotate: (a, b, c, d) -> (d, a', b, c).
template <int kStep>
__attribute__((target("avx2"))) inline void StepAndRotate(__m256i& a, __m256i& b, __m256i& c,
                                                          __m256i& d, const __m256i m[16]) {
  Step<kStep>(a, b, c, d, m);
  __m256i t = d;
  d = c;
  c = b;
  b = a;
  a = t;
}

template <int... kSteps>
__attribute__((target("avx2"))) inline void Steps(__m256i& a, __m256i& b, __m256i& c, __m256i& d,
                                                  const __m256i m[16],
                                                  std::integer_sequence<int, kSteps...>) {
  (StepAndRotate<kSteps>(a, b, c, d, m), ...);
}

// The same for two sets of lanes, step by step.
template <int... kSteps>
__attribute__((target("avx2"))) inline void Steps2(__m256i s0[4], const __m256i m0[16],
                                                   __m256i s1[4], const __m256i m1[16],
                                                   std::integer_sequence<int, kSteps...>) {
  ((StepAndRotate<kSteps>(s0[0], s0[1], s0[2], s0[3], m0),
    StepAndRotate<kSteps>(s1[0], s1[1], s1[2], s1[3], m1)),
   ...);
}

__attribute__((target("avx2"))) inline void AddInto(__m256i state[4], const __m256i work[4]) {
  for (int w = 0; w < 4; ++w) state[w] = _mm256_add_epi32(state[w], work[w]);
}

// One block of each lane's message, at rows[lane] + offset.
__attribute__((target("avx2"))) void Compress8(__m256i state[4], const uint8_t* const rows[kLanes],
                                               size_t offset) {
  __m256i m[16];
  LoadTransposed(rows, offset, m);
  LoadTransposed(rows, offset + 32, m + 8);
  __m256i work[4] = {state[0], state[1], state[2], state[3]};
  Steps(work[0], work[1], work[2], work[3], m, std::make_integer_sequence<int, 64>{});
  AddInto(state, work);
}

// The same for two sets of eight lanes at once.
__attribute__((target("avx2"))) void Compress8x2(__m256i state[kSets][4],
                                                 const uint8_t* const rows[kSets][kLanes],
                                                 size_t offset) {
  __m256i m0[16], m1[16];
  LoadTransposed(rows[0], offset, m0);
  LoadTransposed(rows[0], offset + 32, m0 + 8);
  LoadTransposed(rows[1], offset, m1);
  LoadTransposed(rows[1], offset + 32, m1 + 8);
  __m256i w0[4] = {state[0][0], state[0][1], state[0][2], state[0][3]};
  __m256i w1[4] = {state[1][0], state[1][1], state[1][2], state[1][3]};
  Steps2(w0, m0, w1, m1, std::make_integer_sequence<int, 64>{});
  AddInto(state[0], w0);
  AddInto(state[1], w1);
}

// Every lane at MD5's initial state (RFC 1321, section 3.3).
__attribute__((target("avx2"))) inline void StartLanes(__m256i state[4]) {
  state[0] = _mm256_set1_epi32(0x67452301);
  state[1] = _mm256_set1_epi32(static_cast<int>(0xefcdab89));
  state[2] = _mm256_set1_epi32(static_cast<int>(0x98badcfe));
  state[3] = _mm256_set1_epi32(0x10325476);
}

// lanes[w][i]: word w of lane i's state.
__attribute__((target("avx2"))) inline void ReadLanes(const __m256i state[4],
                                                      uint32_t lanes[4][kLanes]) {
  for (int w = 0; w < 4; ++w) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[w]), state[w]);
  }
}

// Runs `blocks` blocks of every lane of `sets` sets (1 or 2) from MD5's initial state:
// lanes[set][w][lane] is then word w of that lane's state.
__attribute__((target("avx2"))) void RunLanes(size_t sets, const uint8_t* const rows[kSets][kLanes],
                                              size_t blocks, uint32_t lanes[kSets][4][kLanes]) {
  __m256i state[kSets][4];
  StartLanes(state[0]);
  StartLanes(state[1]);
  for (size_t k = 0; k < blocks; ++k) {
    if (sets == 2) {
      Compress8x2(state, rows, 64 * k);
    } else {
      Compress8(state[0], rows[0], 64 * k);
    }
  }
  ReadLanes(state[0], lanes[0]);
  ReadLanes(state[1], lanes[1]);
}

// Up to sixteen jobs: their common whole blocks in lanes, the rest in the scalar code.
__attribute__((target("avx2"))) void DigestLanes(const Md5Job* const* jobs, size_t count) {
  const size_t sets = count > kLanes ? 2 : 1;
  size_t blocks = SIZE_MAX;
  const uint8_t* rows[kSets][kLanes];
  for (size_t i = 0; i < kSets * kLanes; ++i) {
    const Md5Job& job = *jobs[i < count ? i : 0];  // spare lanes repeat the first job
    rows[i / kLanes][i % kLanes] = static_cast<const uint8_t*>(job.data);
    if (i < sets * kLanes) blocks = std::min(blocks, job.size / 64);
  }
  alignas(32) uint32_t lanes[kSets][4][kLanes];
  RunLanes(sets, rows, blocks, lanes);
  for (size_t i = 0; i < count; ++i) {
    const auto& set = lanes[i / kLanes];
    size_t lane = i % kLanes;
    const uint32_t resumed[4] = {set[0][lane], set[1][lane], set[2][lane], set[3][lane]};
    Md5 md5 = Md5::Resume(resumed, 64 * blocks);
    const uint8_t* row = rows[i / kLanes][lane];
    md5.Update(row + 64 * blocks, jobs[i]->size - 64 * blocks);
    md5.Final(jobs[i]->digest);
  }
}

// Up to sixteen messages of at most 55 bytes (partition keys), one padded block each: the
// blocks built side by side and compressed once.
constexpr size_t kShortMax = 55;
__attribute__((target("avx2"))) void DigestShortLanes(const Md5Job* const* jobs, size_t count) {
  const size_t sets = count > kLanes ? 2 : 1;
  alignas(32) uint8_t blocks[kSets * kLanes][64];
  const uint8_t* rows[kSets][kLanes] = {};
  for (size_t i = 0; i < sets * kLanes; ++i) {
    const Md5Job& job = *jobs[i < count ? i : 0];  // spare lanes repeat the first job
    uint8_t* b = blocks[i];
    if (job.size > 0) std::memcpy(b, job.data, job.size);
    b[job.size] = 0x80;
    std::memset(b + job.size + 1, 0, 56 - job.size - 1);
    uint64_t bits = static_cast<uint64_t>(job.size) * 8;
    for (int k = 0; k < 8; ++k) b[56 + k] = static_cast<uint8_t>(bits >> (8 * k));
    rows[i / kLanes][i % kLanes] = b;
  }
  alignas(32) uint32_t lanes[kSets][4][kLanes];
  RunLanes(sets, rows, 1, lanes);
  for (size_t i = 0; i < count; ++i) {
    const auto& set = lanes[i / kLanes];
    for (int w = 0; w < 4; ++w) {
      for (int k = 0; k < 4; ++k)
        jobs[i]->digest[4 * w + k] = static_cast<uint8_t>(set[w][i % kLanes] >> (8 * k));
    }
  }
}

bool HaveAvx2() {
  static const bool have = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return have;
}

}  // namespace

void Md5DigestMany(std::span<const Md5Job> jobs) {
  // Between one block and this many bytes, the lanes' setup costs more than they save.
  constexpr size_t kLaneMinBytes = 1024;
  constexpr size_t kGroup = kSets * kLanes;  // jobs digested together
  const Md5Job* short_jobs[kGroup];
  size_t shorts = 0;
  std::vector<const Md5Job*> long_jobs;  // allocates only when there are some
  const bool lanes = HaveAvx2();
  for (const Md5Job& job : jobs) {
    if (lanes && job.size <= kShortMax) {
      short_jobs[shorts++] = &job;
      if (shorts == kGroup) {
        DigestShortLanes(short_jobs, shorts);
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
    DigestShortLanes(short_jobs, shorts);
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
    DigestLanes(&long_jobs[start], count);
  }
}

#else

void Md5DigestMany(std::span<const Md5Job> jobs) {
  for (const Md5Job& job : jobs) Md5Digest(job.data, job.size, job.digest);
}

#endif  // defined(__x86_64__)

}  // namespace kinesis
