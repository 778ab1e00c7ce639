// ShardLimiter: keeps one shard's sends under its write limits, and adapts when throttled.
//
// Two token buckets, records/s and bytes/s, at RateLimit percent of the shard's limits (1000
// records/s, 1 MiB/s), with one second of burst. A Kinesis record costs 1 record and its size
// in bytes whatever it holds, so the limiter works the same with aggregation on or off.
// When the service throttles the shard anyway (other producers share it, or the limits are
// lower than we think), OnThrottled() halves the rate (down to 5% of the limits), once per
// throttling event: records sent before the last slowdown went at the old rate, so their being
// throttled says nothing new (the aggregates of one answer halve it once, not once each). Every
// second without a slowdown recovers a tenth of the configured rate, back up to it.
//
// Thread safety: none; owned by the engine thread of its shard.
#ifndef KINESIS_PIPELINE_SHARD_LIMITER_H_
#define KINESIS_PIPELINE_SHARD_LIMITER_H_

#include <cstdint>

#include "pipeline/token_bucket.h"

namespace kinesis {

struct ShardLimits {
  double records_per_second = 1000;
  double bytes_per_second = 1048576;
};

class ShardLimiter {
 public:
  ShardLimiter(ShardLimits limits, double rate_limit_percent);

  // True, and the tokens are taken, when a Kinesis record of `bytes` may be sent now.
  bool TryAcquire(uint64_t bytes, int64_t now_ns);
  // Nanoseconds until a record of `bytes` may be sent.
  int64_t WaitNs(uint64_t bytes, int64_t now_ns);

  // A Kinesis record sent at `sent_ns` was throttled (answered at `now_ns`).
  void OnThrottled(int64_t sent_ns, int64_t now_ns);
  // The fraction of the configured rate in force now (1 when not slowed down).
  double slowdown() const { return factor_; }

 private:
  void Recover(int64_t now_ns);
  void Apply(int64_t now_ns);

  ShardLimits target_;  // the configured rate: limits times RateLimit percent
  double factor_ = 1;
  int64_t last_change_ns_ = 0;  // of factor_: the last slowdown or recovery step
  int64_t slowed_at_ns_ = 0;    // the last slowdown (0: none yet)
  TokenBucket records_;
  TokenBucket bytes_;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_SHARD_LIMITER_H_
