// ParseHead: reads an HTTP/1.1 request head (request line and headers) from a buffer, keeping
// only what kinesis-sim needs. AppendResponse writes an answer.
//
// Thread safety: pure functions.
#ifndef KINESIS_SIM_HTTP_PARSE_H_
#define KINESIS_SIM_HTTP_PARSE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/http_server.h"

namespace kinesis::sim {

inline constexpr size_t kMaxHeadBytes = 64 * 1024;

enum class HeadResult { kOk, kIncomplete, kMalformed, kTooLarge, kUnsupported };

struct ParsedHead {
  HttpRequest request;  // body not set; views point into the parsed buffer
  size_t head_bytes = 0;
  size_t content_length = 0;
  bool close = false;
  bool expect_continue = false;
};

// kUnsupported: a Transfer-Encoding body (Kinesis clients send Content-Length).
HeadResult ParseHead(std::string_view buffer, ParsedHead* head);

void AppendResponse(std::string* out, int status, std::string_view content_type,
                    std::string_view body);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_HTTP_PARSE_H_
