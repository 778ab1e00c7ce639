#include "metrics/histogram.h"

#include <cmath>

namespace kinesis {

double Histogram::Quantile(double q) const {
  if (total_ == 0) return 0;
  // The rank of the value wanted, 1-based: the smallest value with at least q of all below it.
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(total_)));
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      double start = static_cast<double>(BucketStart(i));
      double end = i + 1 < kBuckets ? static_cast<double>(BucketStart(i + 1)) : start;
      return end > start + 1 ? (start + end - 1) / 2 : start;
    }
  }
  return static_cast<double>(BucketStart(kBuckets - 1));
}

}  // namespace kinesis
