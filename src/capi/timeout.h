// Timeouts as the C API takes them (int64_t milliseconds), made safe for chrono arithmetic.
#ifndef KINESIS_CAPI_TIMEOUT_H_
#define KINESIS_CAPI_TIMEOUT_H_

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace kinesis::capi {

// A caller's timeout, negative as 0 and huge ones cut to ten years, so that `now + timeout`
// never overflows (which would turn "wait for ever" into "do not wait").
inline std::chrono::milliseconds ClampTimeout(int64_t timeout_ms) {
  constexpr int64_t kTenYearsMs = int64_t{10} * 366 * 24 * 3600 * 1000;
  return std::chrono::milliseconds(std::clamp<int64_t>(timeout_ms, 0, kTenYearsMs));
}

}  // namespace kinesis::capi

#endif  // KINESIS_CAPI_TIMEOUT_H_
