// Helpers shared by the credential tests: a temporary directory and credential documents.
#ifndef KINESIS_TESTS_AUTH_TEST_UTIL_H_
#define KINESIS_TESTS_AUTH_TEST_UTIL_H_

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <map>

#include "auth/credentials_provider.h"
#include "auth/iso8601.h"

namespace kinesis::auth::testing {

// A fresh directory under /tmp, removed with everything in it at destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kp-auth-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `content` to `name` inside the directory and returns its path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// An environment whose shared credentials and config files are `dir`'s, with `extra` on top.
inline EnvLookup ProfileEnv(const TempDir& dir, std::map<std::string, std::string> extra) {
  std::map<std::string, std::string> env = {
      {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/credentials"},
      {"AWS_CONFIG_FILE", dir.path() + "/config"},
      {"HOME", dir.path()}};
  for (auto& [k, v] : extra) env[k] = v;
  return MapEnvironment(env);
}

// 2026-01-01T00:00:00Z: a fixed "now" for tests with a fake clock.
inline std::chrono::system_clock::time_point TestEpoch() {
  return std::chrono::system_clock::from_time_t(1767225600);
}

// A container / instance-metadata credentials document.
inline std::string MetadataDocument(const std::string& id, const std::string& secret,
                                    const std::string& token,
                                    std::chrono::system_clock::time_point expiration) {
  return "{\"Code\": \"Success\", \"Type\": \"AWS-HMAC\", \"AccessKeyId\": \"" + id +
         "\", \"SecretAccessKey\": \"" + secret + "\", \"Token\": \"" + token +
         "\", \"Expiration\": \"" + FormatIso8601(expiration) + "\"}";
}

// An STS AssumeRoleWithWebIdentity answer.
inline std::string StsDocument(const std::string& id, const std::string& secret,
                               const std::string& token, const std::string& expiration) {
  return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
         "<AssumeRoleWithWebIdentityResult><Credentials><SessionToken>" +
         token + "</SessionToken><SecretAccessKey>" + secret + "</SecretAccessKey><Expiration>" +
         expiration + "</Expiration><AccessKeyId>" + id +
         "</AccessKeyId></Credentials></AssumeRoleWithWebIdentityResult>"
         "</AssumeRoleWithWebIdentityResponse>";
}

}  // namespace kinesis::auth::testing

#endif  // KINESIS_TESTS_AUTH_TEST_UTIL_H_
