// CredentialsStore: the credentials the Java side last sent (at start with -k/-w, then in
// SetCredentials messages every CredentialsRefreshDelay), read by the HTTP back-end to sign
// each request, so rotated keys take effect from the next request on.
//
// Thread safety: Set and Get from any thread.
#ifndef KINESIS_TOOLS_KPL_DAEMON_CREDENTIALS_STORE_H_
#define KINESIS_TOOLS_KPL_DAEMON_CREDENTIALS_STORE_H_

#include <cstdint>
#include <memory>
#include <mutex>

#include "kinesis/http_backend.h"

namespace kinesis::kpl {

class CredentialsStore {
 public:
  // Returns true when they differ from the current ones.
  bool Set(AwsCredentials credentials);
  // The current credentials; Unavailable before the first Set.
  Result<AwsCredentials> Get() const;
  uint64_t changes() const;
  // A callback for CreateHttpBackend reading this store, which must outlive the back-end.
  CredentialsCallback Callback() const {
    return [this] { return Get(); };
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const AwsCredentials> current_;  // guarded by mu_
  uint64_t changes_ = 0;                           // guarded by mu_
};

}  // namespace kinesis::kpl

#endif  // KINESIS_TOOLS_KPL_DAEMON_CREDENTIALS_STORE_H_
