// PrefetchLines: asks for the cache lines of a range of memory without waiting for them, so
// that their misses overlap the work before their first use.
#ifndef KINESIS_COMMON_PREFETCH_H_
#define KINESIS_COMMON_PREFETCH_H_

#include <cstddef>

namespace kinesis {

inline constexpr size_t kCacheLine = 64;

// The lines of `bytes` bytes at `p`, for reading, or for writing with kForWrite (the line
// comes in owned, ready to be stored to).
template <bool kForWrite = false>
inline void PrefetchLines(const void* p, size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (size_t line = 0; line < bytes; line += kCacheLine) __builtin_prefetch(c + line, kForWrite);
}

}  // namespace kinesis

#endif  // KINESIS_COMMON_PREFETCH_H_
