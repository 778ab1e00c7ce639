#include "monitoring/cloudwatch_uploader.h"

#include <algorithm>
#include <iterator>

#include "common/log.h"
#include "monitoring/service_call.h"

namespace kinesis::monitoring {
namespace {

constexpr size_t kMaxExtraDimensions = 27;  // 30 per datum, minus StreamName/ShardId/ErrorCode

// The <Code> of a query-protocol error answer, or "".
std::string ErrorCode(const std::string& body) {
  size_t start = body.find("<Code>");
  if (start == std::string::npos) return {};
  start += 6;
  size_t end = body.find("</Code>", start);
  if (end == std::string::npos || end - start > 128) return {};
  return body.substr(start, end - start);
}

}  // namespace

Result<std::unique_ptr<CloudWatchUploader>> CloudWatchUploader::Create(
    const MetricsRegistry& registry, CredentialsSource credentials, CloudWatchOptions options,
    std::shared_ptr<auth::HttpFetcher> http) {
  KINESIS_RETURN_IF_ERROR(CheckRegion(options.region, "CloudWatch"));
  if (options.upload_period.count() < 1) {
    return Status::InvalidArgument("CloudWatch upload period " +
                                   std::to_string(options.upload_period.count()) +
                                   " ms is under 1 ms");
  }
  if (options.limits.max_datums == 0 || options.limits.max_bytes == 0) {
    return Status::InvalidArgument("CloudWatch limits must be at least 1 datum and 1 byte");
  }
  if (options.extra_dimensions.size() > kMaxExtraDimensions) {
    return Status::InvalidArgument(std::to_string(options.extra_dimensions.size()) +
                                   " extra CloudWatch dimensions; at most " +
                                   std::to_string(kMaxExtraDimensions));
  }
  if (!credentials) return Status::InvalidArgument("CloudWatch uploader needs credentials");
  auto endpoint = ParseServiceEndpoint(
      options.endpoint, "monitoring." + options.region + ".amazonaws.com", "CloudWatch endpoint");
  if (!endpoint.ok()) return endpoint.status();
  if (!http) http = auth::DefaultHttpFetcher();
  return std::unique_ptr<CloudWatchUploader>(
      new CloudWatchUploader(registry, std::move(credentials), std::move(options), std::move(http),
                             endpoint->url, endpoint->host));
}

CloudWatchUploader::CloudWatchUploader(const MetricsRegistry& registry,
                                       CredentialsSource credentials, CloudWatchOptions options,
                                       std::shared_ptr<auth::HttpFetcher> http, std::string url,
                                       std::string host)
    : registry_(registry),
      credentials_(std::move(credentials)),
      options_(std::move(options)),
      http_(std::move(http)),
      url_(std::move(url)),
      host_(std::move(host)),
      signer_(options_.region, "monitoring") {}

CloudWatchUploader::~CloudWatchUploader() { Stop(); }

void CloudWatchUploader::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void CloudWatchUploader::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CloudWatchUploader::Run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, options_.upload_period, [this] { return stopping_; })) {
    lock.unlock();
    (void)UploadThrough(registry_.NowSeconds() - 1);  // failures are logged and counted there
    lock.lock();
  }
}

Status CloudWatchUploader::UploadNow() { return UploadThrough(registry_.NowSeconds()); }

Status CloudWatchUploader::UploadFinal(std::chrono::milliseconds budget) {
  auto deadline = std::chrono::steady_clock::now() + budget;
  Stop();
  if (budget.count() <= 0) {
    return Status::DeadlineExceeded("no time left for the last metrics upload");
  }
  return UploadThrough(registry_.NowSeconds(), deadline);
}

Status CloudWatchUploader::UploadThrough(int64_t last,
                                         std::chrono::steady_clock::time_point deadline) {
  std::lock_guard upload(upload_mu_);
  // Each upload takes the seconds since the last one, so consecutive uploads cover every
  // second once: no loss or double count at the edges of the period.
  if (last <= last_uploaded_second_) return Status::Ok();
  std::vector<MetricValue> values = registry_.ReadSeconds(last_uploaded_second_ + 1, last);
  last_uploaded_second_ = last;
  auto now = std::chrono::system_clock::now();
  auto build = [&](const std::string& ns, const std::vector<MetricValue>& of) {
    return BuildPutMetricDataBodies(ns, of, options_.extra_dimensions,
                                    options_.send_timestamp ? &now : nullptr,
                                    options_.storage_resolution, options_.limits);
  };
  PutMetricDataBodies built;
  if (options_.app_metrics_namespace.empty() ||
      options_.app_metrics_namespace == options_.metrics_namespace) {
    built = build(options_.metrics_namespace, values);
  } else {
    // A call has one namespace: the application's metrics go in calls of their own.
    std::vector<MetricValue> application;
    auto own = std::stable_partition(values.begin(), values.end(),
                                     [](const MetricValue& v) { return !v.application; });
    std::move(own, values.end(), std::back_inserter(application));
    values.erase(own, values.end());
    built = build(options_.metrics_namespace, values);
    PutMetricDataBodies more = build(options_.app_metrics_namespace, application);
    built.dropped += more.dropped;
    for (size_t i = 0; i < more.bodies.size(); ++i) {
      built.bodies.push_back(std::move(more.bodies[i]));
      built.datums_per_body.push_back(more.datums_per_body[i]);
    }
  }
  {
    std::lock_guard lock(mu_);
    ++stats_.uploads;
    stats_.datums_dropped += built.dropped;
  }
  Status first;
  for (size_t i = 0; i < built.bodies.size(); ++i) {
    Status status = Send(built.bodies[i], deadline);
    if (status.ok()) {
      std::lock_guard lock(mu_);
      ++stats_.calls_ok;
      stats_.datums_sent += built.datums_per_body[i];
    } else {
      Fail(status, built.datums_per_body[i]);
      if (first.ok()) first = status;
    }
  }
  return first;
}

Status CloudWatchUploader::Send(const std::string& body,
                                std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (deadline != std::chrono::steady_clock::time_point::max() && left.count() <= 0) {
    return Status::DeadlineExceeded("PutMetricData to " + url_ + ": the deadline passed");
  }
  auto credentials = credentials_();
  if (!credentials.ok()) {
    return Status(credentials.status().code(),
                  "no credentials for CloudWatch: " + credentials.status().message());
  }
  if (!*credentials) return Status::PermissionDenied("no credentials for CloudWatch");
  SignedPost post;
  post.content_type = "application/x-www-form-urlencoded; charset=utf-8";
  post.body = body;
  post.connect_timeout = options_.connect_timeout;
  post.timeout = options_.request_timeout;
  if (deadline != std::chrono::steady_clock::time_point::max()) {
    post.connect_timeout = std::min(post.connect_timeout, left);
    post.timeout = std::min(post.timeout, left);
  }
  post.use_proxy = options_.use_proxy;
  auto response = PostSigned(*http_, signer_, **credentials, ServiceEndpoint{url_, host_}, post);
  if (!response.ok()) return response.status();
  if (response->status >= 200 && response->status < 300) return Status::Ok();
  std::string code = ErrorCode(response->body);
  std::string message = "PutMetricData to " + url_ + " answered HTTP " +
                        std::to_string(response->status) + (code.empty() ? "" : " " + code);
  if (response->status == 403 || response->status == 401) {
    return Status::PermissionDenied(std::move(message));
  }
  if (response->status >= 500 || response->status == 429 || code == "Throttling") {
    return Status::Unavailable(std::move(message));
  }
  return Status::InvalidArgument(std::move(message));
}

void CloudWatchUploader::Fail(const Status& status, size_t datums) {
  {
    std::lock_guard lock(mu_);
    ++stats_.calls_failed;
    stats_.datums_dropped += datums;
    stats_.last_error = status.ToString();
  }
  (options_.log != nullptr ? *options_.log : Logger::Get()).Log(LogLevel::kWarning, "cloudwatch", "PutMetricData failed",
                    {{"error", status.ToString()}, {"datums", std::to_string(datums)}});
}

CloudWatchUploader::Stats CloudWatchUploader::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace kinesis::monitoring
