// The canonical forms SigV4 signs: URI, query string and headers, as the AWS SigV4 test suite
// (src/auth/testdata/aws-signing-test-suite) expects them.
//
// Pure functions with no state; any thread may call them.
#ifndef KINESIS_AUTH_SIGV4_CANONICAL_H_
#define KINESIS_AUTH_SIGV4_CANONICAL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinesis/status.h"

namespace kinesis::auth::sigv4 {

using HeaderList = std::vector<std::pair<std::string, std::string>>;
using HeaderViewList = std::vector<std::pair<std::string_view, std::string_view>>;

// Appends `in` percent-encoded: RFC 3986 unreserved bytes (A-Z a-z 0-9 - . _ ~) stay, every other
// byte becomes %XX with upper-case hex. With `keep_slash`, '/' stays too (for paths).
void AppendUriEncoded(std::string_view in, bool keep_slash, std::string& out);

// Decodes %XX escapes. Fails (kInvalidArgument) on a '%' not followed by two hex digits.
Result<std::string> PercentDecode(std::string_view in);

// The canonical URI of a raw (unencoded) path. With `normalize`, empty and "." segments are
// dropped and ".." removes the segment before it (RFC 3986 dot-segment removal, plus collapsing
// of repeated slashes); without it (S3-style services) the path is only encoded. An empty path
// is "/". Fails when the path does not start with '/'.
Result<std::string> CanonicalUri(std::string_view path, bool normalize);

// A query parameter as it goes into the canonical query: already encoded.
struct EncodedParam {
  std::string key;
  std::string value;
};

// Splits a raw query string (without '?') into encoded parameters: each key and value is
// percent-decoded, then encoded again the canonical way, so "%e1%88%b4", "%E1%88%B4" and the raw
// UTF-8 bytes all sign the same. A parameter without '=' has an empty value; empty pieces
// ("a=1&&b=2") are dropped. Fails on a malformed percent escape.
Result<std::vector<EncodedParam>> ParseQuery(std::string_view query);

// Sorts the parameters by key, then value (byte order), and joins them as k=v&k=v.
std::string JoinCanonicalQuery(std::vector<EncodedParam> params);

// Header names the signer never signs: its own output (replaced on every signing) and headers
// that proxies or HTTP libraries add, change or drop in transit.
bool IsUnsignedHeader(std::string_view lower_name);

// Canonical headers ("name:value\n" lines) and the signed-header list ("a;b;c") of `headers`.
struct CanonicalHeaders {
  std::string lines;
  std::string signed_names;
};

// `headers` are the request's, `own_headers` the signer's additions (X-Amz-Date...), which are
// always signed. Names are lower-cased; values trimmed, with every run of white space (including
// folded line breaks) collapsed to one space; repeated names joined with ',' in the order given;
// sorted by name. Request headers for which IsUnsignedHeader() holds are left out. Fails when a
// name is empty or there is no Host header.
Result<CanonicalHeaders> BuildCanonicalHeaders(const HeaderList& headers,
                                               const HeaderViewList& own_headers);

}  // namespace kinesis::auth::sigv4

#endif  // KINESIS_AUTH_SIGV4_CANONICAL_H_
