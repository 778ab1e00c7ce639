// ISO 8601 / RFC 3339 timestamps as AWS credential documents write them ("Expiration").
//
// Pure functions; any thread.
#ifndef KINESIS_AUTH_ISO8601_H_
#define KINESIS_AUTH_ISO8601_H_

#include <chrono>
#include <string>
#include <string_view>

#include "kinesis/status.h"

namespace kinesis::auth {

// Parses "2026-11-25T06:00:00Z", with optional fractional seconds ("...:00.123Z") and a
// numeric offset instead of Z ("+01:00", "-0800"), years 1970..2200. Fails (kInvalidArgument,
// naming the text) on anything else, including out-of-range fields.
Result<std::chrono::system_clock::time_point> ParseIso8601(std::string_view text);

// "2026-11-25T06:00:00Z" (UTC, whole seconds).
std::string FormatIso8601(std::chrono::system_clock::time_point time);

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_ISO8601_H_
