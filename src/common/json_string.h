// JSON string literals: '"', '\\' and control bytes escaped, other bytes (UTF-8) unchanged.
// One writer for every JSON the project produces (Kinesis requests, statistics, metrics).
#ifndef KINESIS_COMMON_JSON_STRING_H_
#define KINESIS_COMMON_JSON_STRING_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace kinesis {

// The most a JSON string of n bytes takes: 6 per byte (\u00XX) and the quotes.
constexpr size_t JsonStringBound(size_t n) { return 6 * n + 2; }

// Writes `s` as a JSON string (quotes included) at `out`, which has room for
// JsonStringBound(s.size()); returns the end.
char* WriteJsonString(std::string_view s, char* out);

// Appends `s` as a JSON string literal, quotes included.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace kinesis

#endif  // KINESIS_COMMON_JSON_STRING_H_
