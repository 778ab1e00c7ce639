// Histogram: counts of values in log-linear buckets, for latency percentiles.
//
// Values (non-negative integers: microseconds, bytes, counts) fall into 2^kSubBits buckets per
// power of two, so any percentile is read back within 1/2^kSubBits (about 3% at the midpoint) of
// the truth, whatever the range. Fixed size, no allocation after construction; merging two is
// adding.
//
// Thread safety: none; the owner serializes access.
#ifndef KINESIS_METRICS_HISTOGRAM_H_
#define KINESIS_METRICS_HISTOGRAM_H_

#include <array>
#include <cstdint>

namespace kinesis {

class Histogram {
 public:
  static constexpr int kSubBits = 4;   // 16 buckets per octave: ~3% error
  static constexpr int kOctaves = 40;  // values up to 2^40
  static constexpr int kBuckets = (kOctaves + 1) << kSubBits;

  void Add(uint64_t value, uint32_t count = 1) {
    counts_[Bucket(value)] += count;
    total_ += count;
  }
  void Merge(const Histogram& other) {
    for (int i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
  }
  void Clear() {
    counts_.fill(0);
    total_ = 0;
  }
  uint64_t total() const { return total_; }

  // The value below which a fraction `q` (0..1) of the values lie; 0 when empty. Returns the
  // bucket's midpoint.
  double Quantile(double q) const;

  static int Bucket(uint64_t value) {
    if (value < (uint64_t{1} << kSubBits)) return static_cast<int>(value);
    int octave = 63 - __builtin_clzll(value) - kSubBits + 1;  // >= 1
    if (octave > kOctaves) return kBuckets - 1;
    uint64_t sub = (value >> (octave - 1)) & ((uint64_t{1} << kSubBits) - 1);
    return (octave << kSubBits) + static_cast<int>(sub);
  }
  // The smallest value of a bucket.
  static uint64_t BucketStart(int bucket) {
    int octave = bucket >> kSubBits;
    uint64_t sub = static_cast<uint64_t>(bucket) & ((uint64_t{1} << kSubBits) - 1);
    if (octave == 0) return sub;
    return ((uint64_t{1} << kSubBits) | sub) << (octave - 1);
  }

 private:
  std::array<uint32_t, kBuckets> counts_{};
  uint64_t total_ = 0;
};

}  // namespace kinesis

#endif  // KINESIS_METRICS_HISTOGRAM_H_
