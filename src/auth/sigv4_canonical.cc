#include "auth/sigv4_canonical.h"

#include <algorithm>
#include <array>

namespace kinesis::auth::sigv4 {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Appends `value` trimmed, with each run of white space turned into one space.
void AppendTrimmedValue(std::string_view value, std::string& out) {
  // Fast path, the usual case: nothing to trim or fold, so the value goes in with one copy.
  bool clean = !value.empty() && !IsSpace(value.front()) && !IsSpace(value.back());
  for (size_t i = 0; clean && i < value.size(); ++i) {
    char c = value[i];
    clean = c != '\t' && c != '\r' && c != '\n' && !(c == ' ' && value[i + 1] == ' ');
  }
  if (clean) {
    out.append(value);
    return;
  }
  bool pending_space = false;
  bool started = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = started;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    started = true;
    out.push_back(c);
  }
}

}  // namespace

void AppendUriEncoded(std::string_view in, bool keep_slash, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
}

Result<std::string> PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    int hi = i + 2 < in.size() ? HexValue(in[i + 1]) : -1;
    int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return Status::InvalidArgument("malformed percent escape at offset " + std::to_string(i) +
                                     " of query text '" + std::string(in) +
                                     "': '%' must be followed by two hex digits");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

Result<std::string> CanonicalUri(std::string_view path, bool normalize) {
  if (path.empty()) return std::string("/");
  if (path.front() != '/') {
    return Status::InvalidArgument("request path '" + std::string(path) + "' must start with '/'");
  }
  std::string out;
  out.reserve(path.size() + 16);
  if (!normalize) {
    AppendUriEncoded(path, /*keep_slash=*/true, out);
    return out;
  }
  std::vector<std::string_view> segments;
  bool trailing_slash = false;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    bool last = end == path.size();
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    // A path ending in "/", "/." or "/.." names a directory, as RFC 3986 section 5.2.4 keeps it.
    if (last) trailing_slash = segment.empty() || segment == "." || segment == "..";
    start = end + 1;
  }
  out.push_back('/');
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    AppendUriEncoded(segments[i], /*keep_slash=*/false, out);
  }
  if (trailing_slash && !segments.empty()) out.push_back('/');
  return out;
}

Result<std::vector<EncodedParam>> ParseQuery(std::string_view query) {
  std::vector<EncodedParam> params;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view piece = query.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    std::string_view raw_key = piece.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    Result<std::string> key = PercentDecode(raw_key);
    if (!key.ok()) return key.status();
    Result<std::string> value = PercentDecode(raw_value);
    if (!value.ok()) return value.status();
    EncodedParam param;
    AppendUriEncoded(*key, /*keep_slash=*/false, param.key);
    AppendUriEncoded(*value, /*keep_slash=*/false, param.value);
    params.push_back(std::move(param));
  }
  return params;
}

std::string JoinCanonicalQuery(std::vector<EncodedParam> params) {
  std::sort(params.begin(), params.end(), [](const EncodedParam& a, const EncodedParam& b) {
    return a.key != b.key ? a.key < b.key : a.value < b.value;
  });
  std::string out;
  for (const EncodedParam& p : params) {
    if (!out.empty()) out.push_back('&');
    out += p.key;
    out.push_back('=');
    out += p.value;
  }
  return out;
}

bool IsUnsignedHeader(std::string_view lower_name) {
  static constexpr std::array<std::string_view, 10> kNames = {
      "authorization",        "x-amz-date",        "x-amz-security-token",
      "x-amz-content-sha256", "user-agent",        "expect",
      "connection",           "transfer-encoding", "x-amzn-trace-id",
      "proxy-authorization"};
  return std::find(kNames.begin(), kNames.end(), lower_name) != kNames.end();
}

Result<CanonicalHeaders> BuildCanonicalHeaders(const HeaderList& headers,
                                               const HeaderViewList& own_headers) {
  struct Entry {
    std::string name;
    std::string_view value;
    size_t order;  // position in the input, so repeated names keep their order
  };
  std::vector<Entry> entries;
  entries.reserve(headers.size() + own_headers.size());
  bool has_host = false;
  for (size_t i = 0; i < headers.size() + own_headers.size(); ++i) {
    bool own = i >= headers.size();
    const auto [name, value] =
        own ? own_headers[i - headers.size()]
            : std::pair<std::string_view, std::string_view>(headers[i].first, headers[i].second);
    if (name.empty()) {
      return Status::InvalidArgument("header #" + std::to_string(i) + " has an empty name");
    }
    Entry entry{std::string(name.size(), '\0'), value, i};
    std::transform(name.begin(), name.end(), entry.name.begin(), ToLower);
    if (!own && IsUnsignedHeader(entry.name)) continue;
    has_host = has_host || entry.name == "host";
    entries.push_back(std::move(entry));
  }
  if (!has_host) {
    return Status::InvalidArgument("the request has no Host header; SigV4 must sign one");
  }
  // Sorting by (name, order) keeps repeated names in input order without stable_sort's buffer.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.name != b.name ? a.name < b.name : a.order < b.order;
  });
  CanonicalHeaders out;
  size_t bytes = 0;
  for (const Entry& entry : entries) bytes += 2 * entry.name.size() + entry.value.size() + 3;
  out.lines.reserve(bytes);
  out.signed_names.reserve(bytes);
  for (size_t i = 0; i < entries.size(); ++i) {
    bool same_as_previous = i > 0 && entries[i].name == entries[i - 1].name;
    if (same_as_previous) {
      out.lines.back() = ',';  // replaces the '\n' after the previous value
    } else {
      if (!out.signed_names.empty()) out.signed_names.push_back(';');
      out.signed_names += entries[i].name;
      out.lines += entries[i].name;
      out.lines.push_back(':');
    }
    AppendTrimmedValue(entries[i].value, out.lines);
    out.lines.push_back('\n');
  }
  return out;
}

}  // namespace kinesis::auth::sigv4
