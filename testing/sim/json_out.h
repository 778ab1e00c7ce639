// Small helpers to write the JSON the simulator answers with (no DOM: answers are built by
// appending to a string).
//
// Thread safety: pure functions.
#ifndef KINESIS_SIM_JSON_OUT_H_
#define KINESIS_SIM_JSON_OUT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kinesis::sim {

// Appends `s` as a JSON string literal (with quotes and escapes).
void AppendJsonString(std::string* out, std::string_view s);
// Appends "\"key\":" then the string value.
void AppendJsonField(std::string* out, std::string_view key, std::string_view value);
void AppendJsonNumber(std::string* out, std::string_view key, int64_t value);
// `{"__type":"TYPE","message":"MESSAGE"}`, as the service shapes its errors.
std::string ErrorBody(std::string_view type, std::string_view message);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_JSON_OUT_H_
