// RefreshingCredentialsProvider: what the data path asks for credentials. A background thread
// fetches from the source (usually the default chain) at once, then again
// `refresh_before_expiry` (5 minutes) before the credentials expire, retrying failures with
// exponential backoff; Current() only reads the cached result, so signing never waits for the
// network once credentials exist. Long-lived keys (no expiration) are fetched once, and again
// only on RefreshNow().
//
//   RefreshingCredentialsProvider credentials(DefaultCredentialsChain(SystemEnvironment()));
//   KINESIS_RETURN_IF_ERROR(credentials.WaitUntilReady(std::chrono::seconds(10)));  // startup
//   auto current = credentials.Current();  // per request; never blocks on I/O
//
// Thread safety: every public method may be called from any thread. The source's Fetch runs
// only on the provider's own thread.
#ifndef KINESIS_AUTH_REFRESHING_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_REFRESHING_CREDENTIALS_PROVIDER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "auth/credentials_provider.h"

namespace kinesis::auth {

class RefreshingCredentialsProvider {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  struct Options {
    // How long before expiry a refresh starts (the AWS SDKs use 5 to 15 minutes).
    std::chrono::seconds refresh_before_expiry{300};
    // Backoff after a failed fetch: doubles from min_retry up to max_retry.
    std::chrono::milliseconds min_retry{1000};
    std::chrono::milliseconds max_retry{60000};
    // Wall clock for expiry decisions; null means system_clock::now. Tests inject a fake one
    // and call Wake() after moving it.
    Clock clock;
  };

  RefreshingCredentialsProvider(std::unique_ptr<CredentialsProvider> source, Options options);
  explicit RefreshingCredentialsProvider(std::unique_ptr<CredentialsProvider> source)
      : RefreshingCredentialsProvider(std::move(source), Options()) {}
  ~RefreshingCredentialsProvider();  // stops the thread (waits for a fetch in progress)
  RefreshingCredentialsProvider(const RefreshingCredentialsProvider&) = delete;
  RefreshingCredentialsProvider& operator=(const RefreshingCredentialsProvider&) = delete;

  // The cached credentials; never blocks on the source. Fails before the first successful fetch
  // and once the cached credentials have expired without a successful refresh: kUnavailable
  // while the cause is retriable (fetch in progress, network, timeout), kPermissionDenied when
  // it is not (no credentials configured, refused, malformed configuration). The message carries
  // the last fetch's failure.
  Result<std::shared_ptr<const Credentials>> Current() const;

  // Starts a refresh now, e.g. after the service answered ExpiredTokenException; returns at once.
  void RefreshNow();
  // Makes the thread look at the clock again (after a fake clock moved).
  void Wake();

  // Waits up to `timeout` until credentials exist; then OK, else the last failure (or
  // kDeadlineExceeded when no fetch finished in time).
  Status WaitUntilReady(std::chrono::milliseconds timeout) const;
  // Waits up to `timeout` until at least `count` fetches finished; false on timeout.
  bool WaitForFetches(uint64_t count, std::chrono::milliseconds timeout) const;
  uint64_t fetch_count() const;
  // When the thread will fetch next (time_point::max() for long-lived keys); for tests.
  std::chrono::system_clock::time_point next_refresh() const;

 private:
  void Run();
  std::chrono::system_clock::time_point Now() const;
  Status UnavailableStatus(std::string_view why) const;  // needs mu_

  const std::unique_ptr<CredentialsProvider> source_;
  const Options options_;

  mutable std::mutex mu_;
  mutable std::condition_variable wake_cv_;             // the thread waits here
  mutable std::condition_variable done_cv_;             // waiters for fetches
  std::shared_ptr<const Credentials> current_;          // guarded by mu_
  Status last_error_;                                   // guarded by mu_
  std::chrono::system_clock::time_point next_attempt_;  // guarded by mu_
  bool refresh_requested_ = false;                      // guarded by mu_
  bool stop_ = false;                                   // guarded by mu_
  uint64_t fetches_ = 0;                                // guarded by mu_
  int failures_in_a_row_ = 0;                           // guarded by mu_
  std::thread thread_;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_REFRESHING_CREDENTIALS_PROVIDER_H_
