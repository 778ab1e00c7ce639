// ProcessCredentialsProvider: a profile's `credential_process`, run through /bin/sh -c; its
// standard output is the JSON document {"Version": 1, "AccessKeyId", "SecretAccessKey",
// "SessionToken", "Expiration"}. Standard error passes through to ours; standard input is
// /dev/null.
//
// Messages name the profile, never the command (it may carry secrets on its command line) nor
// the output.
//
// Thread safety: see CredentialsProvider.
#ifndef KINESIS_AUTH_PROCESS_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_PROCESS_CREDENTIALS_PROVIDER_H_

#include <chrono>

#include "auth/credentials_provider.h"

namespace kinesis::auth {

class ProcessCredentialsProvider : public CredentialsProvider {
 public:
  ProcessCredentialsProvider(std::string command, std::string profile,
                             std::chrono::milliseconds timeout = std::chrono::seconds(30))
      : command_(std::move(command)), profile_(std::move(profile)), timeout_(timeout) {}

  // kInvalidArgument for an empty command; kUnavailable when it cannot start or exits
  // non-zero (with its exit status); kDeadlineExceeded when it runs past the timeout (it is
  // killed); kOutOfRange for more than 1 MiB of output; kCorruption for a malformed document.
  Result<Credentials> Fetch() override;
  std::string_view name() const override { return "credential_process"; }

 private:
  const std::string command_;
  const std::string profile_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_PROCESS_CREDENTIALS_PROVIDER_H_
