// TokenBucket: a rate with a burst allowance, on a clock the caller passes in.
//
// Tokens accrue at `rate` per second up to `burst`; TryTake(n) succeeds when n are there.
// Time is an argument (nanoseconds on any monotonic clock), so tests are deterministic.
//
// Thread safety: none; each bucket belongs to the engine thread that owns its shard.
#ifndef KINESIS_PIPELINE_TOKEN_BUCKET_H_
#define KINESIS_PIPELINE_TOKEN_BUCKET_H_

#include <algorithm>
#include <cstdint>

namespace kinesis {

class TokenBucket {
 public:
  // Starts full.
  TokenBucket(double rate_per_second, double burst)
      : rate_(rate_per_second), burst_(burst), tokens_(burst) {}

  // Takes n tokens when there are at least n, or when the bucket is full (so a single cost
  // larger than the burst still passes, once, instead of blocking for ever).
  bool TryTake(double n, int64_t now_ns) {
    Refill(now_ns);
    if (tokens_ >= n || tokens_ >= burst_) {
      tokens_ -= n;
      return true;
    }
    return false;
  }

  // Nanoseconds until TryTake(n) can succeed; 0 when it can now.
  int64_t WaitNs(double n, int64_t now_ns) {
    Refill(now_ns);
    double need = std::min(n, burst_) - tokens_;
    if (need <= 0) return 0;
    return static_cast<int64_t>(need / rate_ * 1e9) + 1;
  }

  // Changes the rate from now on; tokens already earned stay.
  void SetRate(double rate_per_second, int64_t now_ns) {
    Refill(now_ns);
    rate_ = rate_per_second;
  }

  double rate() const { return rate_; }
  double tokens() const { return tokens_; }

 private:
  void Refill(int64_t now_ns) {
    if (now_ns > last_ns_) {
      tokens_ = std::min(burst_, tokens_ + rate_ * static_cast<double>(now_ns - last_ns_) * 1e-9);
      last_ns_ = now_ns;
    }
  }

  double rate_;
  double burst_;
  double tokens_;
  int64_t last_ns_ = 0;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_TOKEN_BUCKET_H_
