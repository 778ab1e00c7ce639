#include "auth/environment_credentials_provider.h"

namespace kinesis::auth {

Result<Credentials> EnvironmentCredentialsProvider::Fetch() {
  std::optional<std::string> id = NonEmpty(env_, "AWS_ACCESS_KEY_ID");
  std::optional<std::string> secret = NonEmpty(env_, "AWS_SECRET_ACCESS_KEY");
  if (!id && !secret) {
    return Status::NotFound("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  }
  if (!id)
    return Status::InvalidArgument("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
  if (!secret) {
    return Status::InvalidArgument("AWS_ACCESS_KEY_ID is set ('" + *id +
                                   "') but AWS_SECRET_ACCESS_KEY is not");
  }
  Credentials credentials;
  credentials.access_key_id = std::move(*id);
  credentials.secret_access_key = std::move(*secret);
  credentials.session_token = NonEmpty(env_, "AWS_SESSION_TOKEN").value_or("");
  return credentials;
}

}  // namespace kinesis::auth
