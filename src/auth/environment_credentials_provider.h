// EnvironmentCredentialsProvider: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the optional
// AWS_SESSION_TOKEN (AWS_SECRET_KEY / AWS_ACCESS_KEY are not read: they are the Java SDK's own).
//
// Thread safety: see CredentialsProvider.
#ifndef KINESIS_AUTH_ENVIRONMENT_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_ENVIRONMENT_CREDENTIALS_PROVIDER_H_

#include "auth/credentials_provider.h"

namespace kinesis::auth {

class EnvironmentCredentialsProvider : public CredentialsProvider {
 public:
  explicit EnvironmentCredentialsProvider(EnvLookup env) : env_(std::move(env)) {}

  // kNotFound when neither key variable is set, kInvalidArgument when only one is.
  Result<Credentials> Fetch() override;
  std::string_view name() const override { return "environment"; }

 private:
  const EnvLookup env_;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_ENVIRONMENT_CREDENTIALS_PROVIDER_H_
