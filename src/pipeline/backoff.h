// Retry backoff: exponential with full jitter, and deadline arithmetic that saturates.
//
// Attempt n (1 for the first retry) waits a uniform random time in [0, min(cap, base * 2^(n-1))].
// Full jitter spreads retries of many records and producers apart, so a throttled shard is not
// hit again by all of them at once.
//
// Thread safety: Backoff holds its own random state; one per engine thread.
#ifndef KINESIS_PIPELINE_BACKOFF_H_
#define KINESIS_PIPELINE_BACKOFF_H_

#include <cstdint>
#include <limits>

namespace kinesis {

// now + delta, clamped to INT64_MAX: a RecordTtl of "for ever" must never wrap into the past.
inline int64_t SaturatingAddNs(int64_t now_ns, uint64_t delta_ms) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (delta_ms > static_cast<uint64_t>(kMax) / 1000000) return kMax;
  int64_t delta_ns = static_cast<int64_t>(delta_ms) * 1000000;
  return now_ns > kMax - delta_ns ? kMax : now_ns + delta_ns;
}

class Backoff {
 public:
  Backoff(uint64_t base_ms, uint64_t cap_ms, uint64_t seed)
      : base_ns_(base_ms * 1000000), cap_ns_(cap_ms * 1000000), state_(seed) {}

  // The wait before retry number `attempt` (1 = first retry), in nanoseconds.
  uint64_t DelayNs(uint32_t attempt) {
    uint64_t ceiling = cap_ns_;
    if (attempt - 1 < 63 && base_ns_ <= (cap_ns_ >> (attempt - 1))) {
      ceiling = base_ns_ << (attempt - 1);
    }
    if (attempt == 0) ceiling = 0;
    return ceiling == 0 ? 0 : Next() % (ceiling + 1);
  }

 private:
  // splitmix64: small, fast, and good enough for jitter.
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  uint64_t base_ns_;
  uint64_t cap_ns_;
  uint64_t state_;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_BACKOFF_H_
