// CredentialsProvider: one source of AWS credentials (environment, files, a process, a metadata
// service...). Fetch() may block on files, processes or the network, so the data path never
// calls it directly: RefreshingCredentialsProvider calls it on its own thread and the data path
// reads the cached result.
//
// Environment lookups go through an EnvLookup so tests never have to change the process
// environment (setenv is not thread-safe).
//
// Thread safety: Fetch() is called from one thread at a time (the refresh thread); providers
// need no locking of their own.
#ifndef KINESIS_AUTH_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_CREDENTIALS_PROVIDER_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "auth/credentials.h"
#include "common/env.h"
#include "kinesis/status.h"

namespace kinesis::auth {

// The environment readers of common/env.h.
using kinesis::EnvIsTrue;
using kinesis::EnvLookup;
using kinesis::MapEnvironment;
using kinesis::NonEmpty;
using kinesis::SystemEnvironment;

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;

  // Fetches credentials now. kNotFound means "this source is not configured" (the chain moves
  // on to the next source); any other failure means the source is configured but broken (the
  // chain stops and reports it, as the AWS SDKs do). Messages never contain secrets.
  virtual Result<Credentials> Fetch() = 0;

  // A short name for messages, e.g. "environment".
  virtual std::string_view name() const = 0;
};

// Replaces every occurrence of each non-empty secret in `text` with "<redacted>"; used on text
// from outside (servers, processes) before it goes into a Status message.
std::string Redact(std::string text, std::initializer_list<std::string_view> secrets);

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_CREDENTIALS_PROVIDER_H_
