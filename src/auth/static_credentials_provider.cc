#include "auth/static_credentials_provider.h"

namespace kinesis::auth {

Result<Credentials> StaticCredentialsProvider::Fetch() {
  const bool has_id = !credentials_.access_key_id.empty();
  const bool has_secret = !credentials_.secret_access_key.empty();
  if (!has_id && !has_secret) return Status::NotFound("no static credentials were given");
  if (!has_id) {
    return Status::InvalidArgument(
        "static credentials have a secret access key but no access key id");
  }
  if (!has_secret) {
    return Status::InvalidArgument("static credentials for access key id '" +
                                   credentials_.access_key_id + "' have no secret access key");
  }
  return credentials_;
}

}  // namespace kinesis::auth
