#include "credentials_store.h"

namespace kinesis::kpl {

bool CredentialsStore::Set(AwsCredentials credentials) {
  auto next = std::make_shared<const AwsCredentials>(std::move(credentials));
  std::lock_guard<std::mutex> lock(mu_);
  bool changed = current_ == nullptr || current_->access_key_id != next->access_key_id ||
                 current_->secret_access_key != next->secret_access_key ||
                 current_->session_token != next->session_token;
  if (changed) {
    current_ = std::move(next);
    ++changes_;
  }
  return changed;
}

Result<AwsCredentials> CredentialsStore::Get() const {
  std::shared_ptr<const AwsCredentials> c;
  {
    std::lock_guard<std::mutex> lock(mu_);
    c = current_;
  }
  if (c == nullptr) return Status::Unavailable("no credentials received from the KPL yet");
  return *c;
}

uint64_t CredentialsStore::changes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return changes_;
}

}  // namespace kinesis::kpl
