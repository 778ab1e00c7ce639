// CloudWatchUploader: sends the producer's metrics to CloudWatch with PutMetricData, every
// `upload_period`, on a thread of its own.
//
// Each upload reads the registry over the last period (at most MetricsRegistry::kSeconds) and
// sends one statistic set (SampleCount, Sum, Minimum, Maximum) per series, with the series'
// dimensions (StreamName, ShardId, ErrorCode) plus the user's extra dimensions, split into
// calls of at most 1000 datums and 1 MB. Calls are signed with SigV4 for the service
// `monitoring` with credentials read from `credentials` at each call (plug the refreshing
// provider's Current() there, or a separate one for CloudWatch).
//
// Failures (credentials, transport, timeouts, non-2xx answers) are logged through Logger
// (component "cloudwatch", rate-limited) and counted in stats(); the data of a failed call is
// not retried (the next period brings fresh data, as in the KPL). Nothing here blocks the
// data path: the registry lock is held only for the Read.
//
//   auto uploader = CloudWatchUploader::Create(registry, [&] { return creds.Current(); },
//                                              {.region = "us-east-1"});
//   if (!uploader.ok()) ...;
//   (*uploader)->Start();
//
// Thread safety: Start, Stop and the destructor from one owning thread; UploadNow and stats
// from any thread (uploads are serialized).
#ifndef KINESIS_MONITORING_CLOUDWATCH_UPLOADER_H_
#define KINESIS_MONITORING_CLOUDWATCH_UPLOADER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "auth/credentials.h"
#include "auth/http_fetcher.h"
#include "auth/sigv4_signer.h"
#include "common/log.h"
#include "kinesis/status.h"
#include "metrics/metrics_registry.h"
#include "monitoring/cloudwatch_request.h"

namespace kinesis::monitoring {

using CredentialsSource = std::function<Result<std::shared_ptr<const auth::Credentials>>()>;

struct CloudWatchOptions {
  std::string region;  // required, e.g. "us-east-1"
  // "https://host[:port]" or "http://host[:port]" (tests); a bare host means https. Empty:
  // https://monitoring.<region>.amazonaws.com.
  std::string endpoint;
  std::string metrics_namespace = "KinesisProducerLibrary";
  // Of the application's metrics (MetricValue::application); empty: metrics_namespace. In the
  // same namespace they share the producer's calls; in another they get calls of their own.
  std::string app_metrics_namespace;
  // How often metrics are sent (the KPL's MetricsUploadDelay, default 60 s).
  std::chrono::milliseconds upload_period{60000};
  // Added to every datum, after its own dimensions (CloudWatch allows 30 per datum in all).
  std::vector<std::pair<std::string, std::string>> extra_dimensions;
  PutMetricDataLimits limits;
  // 1 sends high-resolution metrics; 0 leaves the field out (standard resolution).
  int storage_resolution = 0;
  bool send_timestamp = true;
  std::chrono::milliseconds connect_timeout{6000};
  std::chrono::milliseconds request_timeout{6000};
  // Go through the proxy: the one the `http` fetcher is given (the producer's ProxyHost), else
  // the environment's (http_proxy/https_proxy, no_proxy), as curl does.
  bool use_proxy = true;
  // Where its failures are logged (the producer's logger); null: the process-wide one.
  Logger* log = nullptr;
};

class CloudWatchUploader {
 public:
  struct Stats {
    uint64_t uploads = 0;         // upload rounds (periodic or UploadNow)
    uint64_t calls_ok = 0;        // PutMetricData calls answered 2xx
    uint64_t calls_failed = 0;    // calls that failed (transport, timeout, non-2xx, signing)
    uint64_t datums_sent = 0;     // datums in successful calls
    uint64_t datums_dropped = 0;  // unsendable values and datums of failed calls
    std::string last_error;       // the last failure's message ("" when none)
  };

  // Fails with kInvalidArgument for an empty region, a malformed endpoint, an upload period
  // under 1 ms, limits of 0, or too many extra dimensions. `http` null: libcurl.
  static Result<std::unique_ptr<CloudWatchUploader>> Create(
      const MetricsRegistry& registry, CredentialsSource credentials, CloudWatchOptions options,
      std::shared_ptr<auth::HttpFetcher> http = nullptr);

  ~CloudWatchUploader();  // Stop()
  CloudWatchUploader(const CloudWatchUploader&) = delete;
  CloudWatchUploader& operator=(const CloudWatchUploader&) = delete;

  // Starts the upload thread: the first upload one period from now.
  void Start();
  // Stops the thread; waits at most for the call in progress (bounded by request_timeout).
  void Stop();

  // One upload round now, on the caller's thread, of every second not uploaded yet including
  // the one in progress (what the rest of that second records is not uploaded: meant for tests
  // and a last upload). Returns OK when every call succeeded (or there was nothing to send),
  // else the first failure. The periodic uploads take completed seconds only, each once.
  Status UploadNow();

  // The last upload, when the producer closes: stops the thread, then uploads every second not
  // uploaded yet, the one in progress included, with each call's timeouts cut to what is left
  // of `budget`. Nothing is sent when the budget is gone.
  Status UploadFinal(std::chrono::milliseconds budget);

  Stats stats() const;
  const std::string& url() const { return url_; }

 private:
  CloudWatchUploader(const MetricsRegistry& registry, CredentialsSource credentials,
                     CloudWatchOptions options, std::shared_ptr<auth::HttpFetcher> http,
                     std::string url, std::string host);
  void Run();
  // Uploads the seconds after the last uploaded one up to `last` (inclusive).
  // `deadline`: no call runs past it (its timeouts are cut to fit).
  Status UploadThrough(int64_t last, std::chrono::steady_clock::time_point deadline =
                                         std::chrono::steady_clock::time_point::max());
  Status Send(const std::string& body, std::chrono::steady_clock::time_point deadline);
  void Fail(const Status& status, size_t datums);  // needs upload_mu_

  const MetricsRegistry& registry_;
  const CredentialsSource credentials_;
  const CloudWatchOptions options_;
  const std::shared_ptr<auth::HttpFetcher> http_;
  const std::string url_;   // scheme://authority/
  const std::string host_;  // authority, as signed in the Host header
  const auth::SigV4Signer signer_;

  std::mutex upload_mu_;  // one upload at a time
  int64_t last_uploaded_second_ = INT64_MIN / 2;  // guarded by upload_mu_
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  Stats stats_;            // guarded by mu_
  std::thread thread_;
};

}  // namespace kinesis::monitoring

#endif  // KINESIS_MONITORING_CLOUDWATCH_UPLOADER_H_
