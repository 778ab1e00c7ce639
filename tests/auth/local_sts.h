// LocalSts: an STS endpoint on 127.0.0.1 for the assumed-role tests. It checks every AssumeRole
// call's SigV4 signature the way STS does, computed here from the bytes received with OpenSSL
// alone (not with the library's signer), against the secret it knows for the access key id;
// a bad signature is answered 403 SignatureDoesNotMatch. It also serves as a forward proxy to
// itself (a request for an absolute URL is answered the same). A good call is answered with the
// next scripted credentials (or generated ones) and an expiry `lifetime` after `now()`.
//
// Thread safety: the handler runs on the server thread; calls() and the setters lock.
#ifndef KINESIS_TESTS_AUTH_LOCAL_STS_H_
#define KINESIS_TESTS_AUTH_LOCAL_STS_H_

#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "auth/iso8601.h"
#include "fake_http_server.h"

namespace kinesis::auth::testing {

struct StsCall {
  std::map<std::string, std::string> form;  // decoded form fields (Action, RoleArn, ...)
  std::string access_key_id;                // of the Credential= in Authorization
  std::string scope;                        // 20260101/us-east-1/sts/aws4_request
  std::string security_token;               // X-Amz-Security-Token, "" when absent
  std::string target;                       // "/", or the absolute URL a proxy is asked for
  std::string proxy_authorization;          // Proxy-Authorization, "" when absent
  bool signature_valid = false;
  std::string why;  // when not valid
};

class LocalSts {
 public:
  LocalSts() : server_([this](const FakeRequest& r) { return Handle(r); }) {}

  std::string url() const { return server_.url(); }
  // The secret (and for temporary keys the token) the caller of `id` must sign with.
  void Know(const std::string& id, const std::string& secret) {
    std::lock_guard<std::mutex> lock(mu_);
    secrets_[id] = secret;
  }
  void set_lifetime(std::chrono::seconds lifetime) {
    std::lock_guard<std::mutex> lock(mu_);
    lifetime_ = lifetime;
  }
  void set_now(std::function<std::chrono::system_clock::time_point()> now) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = std::move(now);
  }
  std::vector<StsCall> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

  // The credentials answered to call n (1-based): ASIAROLE<n>, role-secret-<n>, role-token-<n>.
  static std::string Id(int n) { return "ASIAROLE" + std::to_string(n); }
  static std::string Secret(int n) { return "role-secret-" + std::to_string(n); }
  static std::string Token(int n) { return "role-token-" + std::to_string(n); }

 private:
  static std::string Hex(const unsigned char* data, size_t size) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < size; ++i) {
      out.push_back(digits[data[i] >> 4]);
      out.push_back(digits[data[i] & 15]);
    }
    return out;
  }
  static std::string Sha256Hex(const std::string& text) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    return Hex(digest, sizeof digest);
  }
  static std::string Hmac(const std::string& key, const std::string& text) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(text.data()), text.size(), out, &size);
    return std::string(reinterpret_cast<char*>(out), size);
  }
  static std::string Lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  }
  static std::string Decode(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
        i += 2;
      } else {
        out.push_back(text[i] == '+' ? ' ' : text[i]);
      }
    }
    return out;
  }
  // Value of "Name=value" in "A=x, Name=value, ..." (Authorization's parts).
  static std::string Part(const std::string& text, const std::string& name) {
    size_t at = text.find(name + "=");
    if (at == std::string::npos) return "";
    at += name.size() + 1;
    size_t end = text.find(',', at);
    return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
  }

  // Recomputes the signature from the request as received.
  void Verify(const FakeRequest& request, StsCall& call) {
    const std::string authorization = request.Header("Authorization");
    if (authorization.rfind("AWS4-HMAC-SHA256 ", 0) != 0) {
      call.why = "no AWS4-HMAC-SHA256 Authorization header";
      return;
    }
    const std::string credential = Part(authorization, "Credential");
    const std::string signed_headers = Part(authorization, "SignedHeaders");
    const std::string signature = Part(authorization, "Signature");
    size_t slash = credential.find('/');
    call.access_key_id = credential.substr(0, slash);
    call.scope = slash == std::string::npos ? "" : credential.substr(slash + 1);
    std::string secret;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = secrets_.find(call.access_key_id);
      if (it == secrets_.end()) {
        call.why = "unknown access key id '" + call.access_key_id + "'";
        return;
      }
      secret = it->second;
    }
    std::string canonical_headers;
    std::stringstream names(signed_headers);
    for (std::string name; std::getline(names, name, ';');) {
      std::string value;
      bool found = false;
      for (const auto& [n, v] : request.headers) {
        if (Lower(n) == name) {
          value = v;
          found = true;
        }
      }
      if (!found) {
        call.why = "signed header '" + name + "' was not sent";
        return;
      }
      while (!value.empty() && value.back() == ' ') value.pop_back();
      canonical_headers += name + ":" + value + "\n";
    }
    if (signed_headers.find("host") == std::string::npos) {
      call.why = "host is not signed";
      return;
    }
    const std::string amz_date = request.Header("X-Amz-Date");
    const std::string canonical = request.method + "\n/\n\n" + canonical_headers + "\n" +
                                  signed_headers + "\n" + Sha256Hex(request.body);
    const std::string to_sign =
        "AWS4-HMAC-SHA256\n" + amz_date + "\n" + call.scope + "\n" + Sha256Hex(canonical);
    std::vector<std::string> scope;
    std::stringstream parts(call.scope);
    for (std::string part; std::getline(parts, part, '/');) scope.push_back(part);
    if (scope.size() != 4 || scope[2] != "sts" || scope[3] != "aws4_request" ||
        amz_date.substr(0, 8) != scope[0]) {
      call.why = "bad credential scope '" + call.scope + "'";
      return;
    }
    std::string key = Hmac("AWS4" + secret, scope[0]);
    key = Hmac(key, scope[1]);
    key = Hmac(key, scope[2]);
    key = Hmac(key, scope[3]);
    const std::string mac = Hmac(key, to_sign);
    const std::string expected =
        Hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
    if (expected != signature) {
      call.why = "signature " + signature + " is not " + expected;
      return;
    }
    call.signature_valid = true;
  }

  FakeResponse Handle(const FakeRequest& request) {
    StsCall call;
    std::stringstream fields(request.body);
    for (std::string field; std::getline(fields, field, '&');) {
      size_t eq = field.find('=');
      call.form[Decode(field.substr(0, eq))] =
          eq == std::string::npos ? "" : Decode(field.substr(eq + 1));
    }
    call.security_token = request.Header("X-Amz-Security-Token");
    call.target = request.target;
    call.proxy_authorization = request.Header("Proxy-Authorization");
    Verify(request, call);
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(call);
    if (!call.signature_valid) {
      return FakeResponse::Answer(
          403,
          "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>"
          "<Message>" +
              call.why + "</Message></Error></ErrorResponse>");
    }
    const int n = ++answered_;
    secrets_[Id(n)] = Secret(n);
    auto now = now_ ? now_() : std::chrono::system_clock::now();
    return FakeResponse::Answer(
        200,
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        "<AssumeRoleResult><AssumedRoleUser><Arn>" +
            call.form["RoleArn"] + "</Arn></AssumedRoleUser><Credentials><AccessKeyId>" + Id(n) +
            "</AccessKeyId><SecretAccessKey>" + Secret(n) + "</SecretAccessKey><SessionToken>" +
            Token(n) + "</SessionToken><Expiration>" + FormatIso8601(now + lifetime_) +
            "</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>");
  }

  mutable std::mutex mu_;
  std::map<std::string, std::string> secrets_;                  // guarded by mu_
  std::vector<StsCall> calls_;                                  // guarded by mu_
  std::chrono::seconds lifetime_{900};                          // guarded by mu_
  std::function<std::chrono::system_clock::time_point()> now_;  // guarded by mu_
  int answered_ = 0;                                            // guarded by mu_
  FakeHttpServer server_;  // last: stops before the state it reads goes
};

}  // namespace kinesis::auth::testing

#endif  // KINESIS_TESTS_AUTH_LOCAL_STS_H_
