// StaticCredentialsProvider: keys given explicitly in code or configuration.
//
// Thread safety: see CredentialsProvider.
#ifndef KINESIS_AUTH_STATIC_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_STATIC_CREDENTIALS_PROVIDER_H_

#include "auth/credentials_provider.h"

namespace kinesis::auth {

class StaticCredentialsProvider : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials)
      : credentials_(std::move(credentials)) {}

  // kNotFound when both keys are empty (nothing configured), kInvalidArgument when only one of
  // them is set.
  Result<Credentials> Fetch() override;
  std::string_view name() const override { return "static"; }

 private:
  const Credentials credentials_;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_STATIC_CREDENTIALS_PROVIDER_H_
