// Credentials: the AWS key pair (and optional session token) that signs requests.
//
// The secret access key and the session token are secrets: they are never logged, never put in
// a Status message, never printed by anything in this component. Code that reports about
// credentials names the access key id (which is not secret) or the provider, never the secret.
//
// Thread safety: a value type; copy freely between threads.
#ifndef KINESIS_AUTH_CREDENTIALS_H_
#define KINESIS_AUTH_CREDENTIALS_H_

#include <chrono>
#include <optional>
#include <string>

namespace kinesis::auth {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;  // never logged, never in a Status message
  std::string session_token;      // empty when none
  // When temporary credentials stop working; nullopt for long-lived keys.
  std::optional<std::chrono::system_clock::time_point> expiration;

  // True when the key pair is present (both parts non-empty).
  bool HasKeys() const { return !access_key_id.empty() && !secret_access_key.empty(); }

  // True when `expiration` is set and is not after `now + margin`.
  bool ExpiresWithin(std::chrono::system_clock::time_point now,
                     std::chrono::system_clock::duration margin) const {
    return expiration.has_value() && *expiration <= now + margin;
  }
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_CREDENTIALS_H_
