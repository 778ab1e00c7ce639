#include "pipeline/shard_limiter.h"

#include <algorithm>

namespace kinesis {
namespace {

constexpr double kFloor = 0.05;  // never below 5% of the configured rate
constexpr double kRecoveryPerSecond = 0.1;
constexpr int64_t kSecondNs = 1000000000;

}  // namespace

ShardLimiter::ShardLimiter(ShardLimits limits, double rate_limit_percent)
    : target_{limits.records_per_second * rate_limit_percent / 100,
              limits.bytes_per_second * rate_limit_percent / 100},
      records_(target_.records_per_second, target_.records_per_second),
      bytes_(target_.bytes_per_second, target_.bytes_per_second) {}

bool ShardLimiter::TryAcquire(uint64_t bytes, int64_t now_ns) {
  Recover(now_ns);
  // Check both before taking either, so a refusal costs nothing.
  if (records_.WaitNs(1, now_ns) > 0 || bytes_.WaitNs(static_cast<double>(bytes), now_ns) > 0) {
    return false;
  }
  records_.TryTake(1, now_ns);
  bytes_.TryTake(static_cast<double>(bytes), now_ns);
  return true;
}

int64_t ShardLimiter::WaitNs(uint64_t bytes, int64_t now_ns) {
  Recover(now_ns);
  return std::max(records_.WaitNs(1, now_ns), bytes_.WaitNs(static_cast<double>(bytes), now_ns));
}

void ShardLimiter::OnThrottled(int64_t sent_ns, int64_t now_ns) {
  if (slowed_at_ns_ != 0 && sent_ns < slowed_at_ns_) return;  // sent at the old rate
  slowed_at_ns_ = now_ns;
  factor_ = std::max(kFloor, factor_ / 2);
  last_change_ns_ = now_ns;
  Apply(now_ns);
}

void ShardLimiter::Recover(int64_t now_ns) {
  if (factor_ >= 1 || now_ns - last_change_ns_ < kSecondNs) return;
  int64_t seconds = (now_ns - last_change_ns_) / kSecondNs;
  factor_ = std::min(1.0, factor_ + kRecoveryPerSecond * static_cast<double>(seconds));
  last_change_ns_ += seconds * kSecondNs;
  Apply(now_ns);
}

void ShardLimiter::Apply(int64_t now_ns) {
  records_.SetRate(target_.records_per_second * factor_, now_ns);
  bytes_.SetRate(target_.bytes_per_second * factor_, now_ns);
}

}  // namespace kinesis
