#include "sim/http_parse.h"

#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace kinesis::sim {
namespace {

bool IEquals(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const char* Reason(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

std::atomic<uint64_t> request_ids{0};

}  // namespace

HeadResult ParseHead(std::string_view buffer, ParsedHead* head) {
  size_t end = buffer.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return buffer.size() > kMaxHeadBytes ? HeadResult::kTooLarge : HeadResult::kIncomplete;
  }
  if (end > kMaxHeadBytes) return HeadResult::kTooLarge;
  head->head_bytes = end + 4;
  std::string_view text = buffer.substr(0, end + 2);  // every line ends with CRLF
  size_t eol = text.find("\r\n");
  std::string_view line = text.substr(0, eol);
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1 || sp1 == 0) return HeadResult::kMalformed;
  std::string_view version = line.substr(sp2 + 1);
  if (version.substr(0, 5) != "HTTP/") return HeadResult::kMalformed;
  head->request.method = line.substr(0, sp1);
  head->request.path = line.substr(sp1 + 1, sp2 - sp1 - 1);
  head->close = version == "HTTP/1.0";
  bool have_length = false;
  text.remove_prefix(eol + 2);
  while (!text.empty()) {
    eol = text.find("\r\n");
    line = text.substr(0, eol);
    text.remove_prefix(eol + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return HeadResult::kMalformed;
    std::string_view name = line.substr(0, colon);
    std::string_view value = Trim(line.substr(colon + 1));
    switch (name.size()) {
      case 10:
        if (IEquals(name, "x-amz-date")) head->request.has_date = true;
        if (IEquals(name, "connection")) {
          if (IEquals(value, "close")) head->close = true;
          if (IEquals(value, "keep-alive")) head->close = false;
        }
        break;
      case 12:
        if (IEquals(name, "x-amz-target")) head->request.target = value;
        if (IEquals(name, "content-type")) head->request.content_type = value;
        break;
      case 13:
        if (IEquals(name, "authorization")) {
          head->request.authorization = value;
          head->request.has_authorization = true;
        }
        break;
      case 14:
        if (IEquals(name, "content-length")) {
          size_t n = 0;
          auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
          if (ec != std::errc() || ptr != value.data() + value.size()) {
            return HeadResult::kMalformed;
          }
          if (have_length && n != head->content_length) return HeadResult::kMalformed;
          have_length = true;
          head->content_length = n;
        }
        break;
      case 4:
        if (IEquals(name, "date")) head->request.has_date = true;
        break;
      case 6:
        if (IEquals(name, "expect") && IEquals(value, "100-continue")) head->expect_continue = true;
        break;
      case 17:
        if (IEquals(name, "transfer-encoding")) return HeadResult::kUnsupported;
        break;
      default:
        break;
    }
  }
  return HeadResult::kOk;
}

void AppendResponse(std::string* out, int status, std::string_view content_type,
                    std::string_view body) {
  char head[256];
  uint64_t id = request_ids.fetch_add(1, std::memory_order_relaxed);
  int n = std::snprintf(head, sizeof(head),
                        "HTTP/1.1 %d %s\r\nx-amzn-RequestId: 00000000-0000-4000-8000-%012llx\r\n"
                        "Content-Type: %.*s\r\nContent-Length: %zu\r\n\r\n",
                        status, Reason(status), static_cast<unsigned long long>(id),
                        static_cast<int>(content_type.size()), content_type.data(), body.size());
  out->append(head, static_cast<size_t>(n));
  out->append(body);
}

}  // namespace kinesis::sim
