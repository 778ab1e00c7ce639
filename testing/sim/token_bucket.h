// TokenBucket: a per-shard write limit (bytes or records per second), burst of one second.
//
// Thread safety: none; the simulator calls it under its state lock.
#ifndef KINESIS_SIM_TOKEN_BUCKET_H_
#define KINESIS_SIM_TOKEN_BUCKET_H_

#include <algorithm>
#include <cstdint>

namespace kinesis::sim {

class TokenBucket {
 public:
  TokenBucket() = default;
  TokenBucket(double per_second, int64_t now_us)
      : rate_(per_second), tokens_(per_second), last_us_(now_us) {}

  // Refills for the time passed since the last call, then reports whether `n` tokens remain.
  bool Has(double n, int64_t now_us) {
    if (now_us > last_us_) {
      tokens_ = std::min(rate_, tokens_ + rate_ * static_cast<double>(now_us - last_us_) / 1e6);
      last_us_ = now_us;
    }
    return tokens_ >= n;
  }
  void Take(double n) { tokens_ -= n; }

 private:
  double rate_ = 0;
  double tokens_ = 0;
  int64_t last_us_ = 0;
};

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_TOKEN_BUCKET_H_
