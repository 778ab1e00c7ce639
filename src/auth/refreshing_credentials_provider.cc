#include "auth/refreshing_credentials_provider.h"

#include <algorithm>

#include "auth/iso8601.h"

namespace kinesis::auth {
namespace {

// Upper bound of one wait, so that a wall-clock jump is noticed within a minute.
constexpr std::chrono::seconds kMaxWait{60};

bool IsRetriable(StatusCode code) {
  return code == StatusCode::kOk || code == StatusCode::kUnavailable ||
         code == StatusCode::kDeadlineExceeded;
}

}  // namespace

RefreshingCredentialsProvider::RefreshingCredentialsProvider(
    std::unique_ptr<CredentialsProvider> source, Options options)
    : source_(std::move(source)),
      options_(std::move(options)),
      next_attempt_(std::chrono::system_clock::time_point::min()) {
  thread_ = std::thread([this] { Run(); });
}

RefreshingCredentialsProvider::~RefreshingCredentialsProvider() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_cv_.notify_all();
  thread_.join();
}

std::chrono::system_clock::time_point RefreshingCredentialsProvider::Now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

Status RefreshingCredentialsProvider::UnavailableStatus(std::string_view why) const {
  std::string message =
      std::string(why) + ": " +
      (last_error_.ok() ? std::string("the first fetch is in progress") : last_error_.message());
  if (IsRetriable(last_error_.code())) return Status::Unavailable(std::move(message));
  return Status::PermissionDenied(std::move(message));
}

Result<std::shared_ptr<const Credentials>> RefreshingCredentialsProvider::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!current_) return UnavailableStatus("no AWS credentials yet");
  if (current_->expiration && *current_->expiration <= Now()) {
    return UnavailableStatus("AWS credentials for access key id '" + current_->access_key_id +
                             "' expired at " + FormatIso8601(*current_->expiration) +
                             " and were not refreshed");
  }
  return current_;
}

void RefreshingCredentialsProvider::RefreshNow() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    refresh_requested_ = true;
  }
  wake_cv_.notify_all();
}

void RefreshingCredentialsProvider::Wake() { wake_cv_.notify_all(); }

Status RefreshingCredentialsProvider::WaitUntilReady(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  // Ready, or at least one fetch failed after the last success.
  bool done = done_cv_.wait_for(lock, timeout, [this] { return current_ || fetches_ > 0; });
  if (current_) return Status::Ok();
  if (!done) {
    return Status::DeadlineExceeded("no AWS credentials after waiting " +
                                    std::to_string(timeout.count()) + " ms");
  }
  return UnavailableStatus("no AWS credentials");
}

bool RefreshingCredentialsProvider::WaitForFetches(uint64_t count,
                                                   std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return done_cv_.wait_for(lock, timeout, [this, count] { return fetches_ >= count; });
}

uint64_t RefreshingCredentialsProvider::fetch_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fetches_;
}

std::chrono::system_clock::time_point RefreshingCredentialsProvider::next_refresh() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_attempt_;
}

void RefreshingCredentialsProvider::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    auto now = Now();
    if (!refresh_requested_ && now < next_attempt_) {
      auto wait = std::min<std::chrono::system_clock::duration>(next_attempt_ - now, kMaxWait);
      wake_cv_.wait_for(lock, wait);
      continue;
    }
    refresh_requested_ = false;
    lock.unlock();
    Result<Credentials> fetched = source_->Fetch();
    lock.lock();
    now = Now();
    ++fetches_;
    if (fetched.ok()) {
      current_ = std::make_shared<const Credentials>(std::move(*fetched));
      last_error_ = Status::Ok();
      failures_in_a_row_ = 0;
      if (current_->expiration) {
        const auto expiration = *current_->expiration;
        if (expiration > now + options_.refresh_before_expiry) {
          next_attempt_ = expiration - options_.refresh_before_expiry;
        } else {
          // Already inside the refresh window (a source that hands out short-lived
          // credentials): use them, and ask again after half their remaining life, within the
          // backoff bounds, instead of spinning on the source.
          auto half_life = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::max<std::chrono::system_clock::duration>(expiration - now, {}) / 2);
          next_attempt_ = now + std::clamp(half_life, options_.min_retry, options_.max_retry);
        }
      } else {
        next_attempt_ = std::chrono::system_clock::time_point::max();
      }
    } else {
      last_error_ = fetched.status();
      ++failures_in_a_row_;
      auto backoff = options_.min_retry * (int64_t{1} << std::min(failures_in_a_row_ - 1, 16));
      next_attempt_ = now + std::min(backoff, options_.max_retry);
    }
    done_cv_.notify_all();
  }
}

}  // namespace kinesis::auth
