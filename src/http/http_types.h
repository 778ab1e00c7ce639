// Plain HTTP request/response values shared by every transport.
//
// Thread safety: values; move them between threads freely.
#ifndef KINESIS_HTTP_HTTP_TYPES_H_
#define KINESIS_HTTP_HTTP_TYPES_H_

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinesis/status.h"

namespace kinesis::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "POST";
  std::string url;     // absolute: http(s)://host[:port]/path
  HeaderList headers;  // sent as given (the transport adds an empty "Expect:")
  std::string body;
  // Whole-request deadline; zero means the transport's default.
  std::chrono::milliseconds timeout{0};
};

struct HttpResponse {
  long status = 0;     // HTTP status code
  HeaderList headers;  // names lower-cased, values trimmed
  // The body. Transports reserve spare capacity past size() so a JSON parser that needs padding
  // can read it in place.
  std::string body;

  // Value of the first header named `name` (lower-case), or "" when absent.
  std::string_view Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return {};
  }
};

// Completion of one request. A non-OK result means no HTTP response arrived: kUnavailable for
// network failures (refused, reset, DNS, TLS handshake), kDeadlineExceeded for timeouts -- both
// retriable -- kInvalidArgument for a request the transport cannot send (bad URL), and
// kFailedPrecondition when the transport was shut down first. Any HTTP status, 5xx included, is
// a successful HttpResponse; classifying it is the protocol layer's job.
using HttpCallback = std::function<void(Result<HttpResponse>)>;

}  // namespace kinesis::http

#endif  // KINESIS_HTTP_HTTP_TYPES_H_
