// RawClient: a minimal blocking HTTP/1.1 keep-alive client for tests of kinesis-sim (and of
// kinesalite, to compare the two byte for byte where they should agree).
//
// Thread safety: one instance per thread.
#ifndef KINESIS_TESTS_SIM_RAW_CLIENT_H_
#define KINESIS_TESTS_SIM_RAW_CLIENT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kinesis::sim::testing {

// A well-formed (unsigned) SigV4 Authorization header; neither server checks signatures.
inline constexpr std::string_view kDummyAuthorization =
    "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, "
    "SignedHeaders=host, Signature=00";

struct RawResponse {
  int status = 0;  // 0: the connection failed or was reset
  std::string body;
  std::string error;  // why status is 0
};

class RawClient {
 public:
  explicit RawClient(uint16_t port) : port_(port) {}
  // HTTPS, verifying the server's certificate for 127.0.0.1 against the CA in `ca_file`
  // (PEM); an empty `ca_file` trusts nothing, so verification fails.
  RawClient(uint16_t port, std::string ca_file) : port_(port), tls_(true), ca_file_(std::move(ca_file)) {}
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // POST / with X-Amz-Target "Kinesis_20131202.<action>" and the dummy Authorization.
  RawResponse Call(std::string_view action, std::string_view body);
  // Any request; `headers` are extra lines, each ending with "\r\n".
  RawResponse Send(std::string_view method, std::string_view path, std::string_view headers,
                   std::string_view body);
  // Sends raw bytes and reads one response (for malformed-request tests).
  RawResponse SendRaw(std::string_view bytes);
  // Receive timeout for the next calls (0: none).
  void set_timeout_ms(int ms) { timeout_ms_ = ms; }
  void Close();

 private:
  bool Connect(std::string* error);
  RawResponse ReadResponse();

  bool StartTls(std::string* error);
  long Write(const char* data, size_t len);
  long Read(char* data, size_t len);

  uint16_t port_;
  bool tls_ = false;
  std::string ca_file_;
  void* ssl_ctx_ = nullptr;  // SSL_CTX*
  void* ssl_ = nullptr;      // SSL*
  int fd_ = -1;
  int timeout_ms_ = 10000;
  std::string buffer_;
};

// The string value of "key" at the top level of a JSON object body (empty if none); enough
// for assertions on small answers.
std::string JsonString(std::string_view body, std::string_view key);

}  // namespace kinesis::sim::testing

#endif  // KINESIS_TESTS_SIM_RAW_CLIENT_H_
