#include "monitoring/cloudwatch_logs_shipper.h"

#include <algorithm>
#include <vector>

#include "common/json_string.h"

namespace kinesis::monitoring {
namespace {

constexpr size_t kMaxNameLength = 512;  // log group and stream names (the service's limit)

bool Contains(const std::string& body, std::string_view code) {
  return body.find(code) != std::string::npos;
}

int64_t MillisecondsOf(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

Result<std::unique_ptr<CloudWatchLogsShipper>> CloudWatchLogsShipper::Create(
    CredentialsSource credentials, CloudWatchLogsOptions options,
    std::shared_ptr<auth::HttpFetcher> http) {
  KINESIS_RETURN_IF_ERROR(CheckRegion(options.region, "CloudWatch Logs"));
  for (const auto& [what, name] :
       {std::pair<std::string_view, const std::string&>{"log group", options.log_group},
        {"log stream", options.log_stream}}) {
    if (name.empty() || name.size() > kMaxNameLength) {
      return Status::InvalidArgument("CloudWatch Logs " + std::string(what) + " '" + name +
                                     "' has " + std::to_string(name.size()) + " characters; 1 to " +
                                     std::to_string(kMaxNameLength));
    }
  }
  if (options.flush_interval.count() < 1 || options.max_buffered_events == 0) {
    return Status::InvalidArgument(
        "CloudWatch Logs flush interval (" + std::to_string(options.flush_interval.count()) +
        " ms) and buffered events (" + std::to_string(options.max_buffered_events) +
        ") must be at least 1");
  }
  if (!credentials) return Status::InvalidArgument("CloudWatch Logs shipper needs credentials");
  auto endpoint = ParseServiceEndpoint(
      options.endpoint, "logs." + options.region + ".amazonaws.com", "CloudWatch Logs endpoint");
  if (!endpoint.ok()) return endpoint.status();
  if (!http) http = auth::DefaultHttpFetcher();
  return std::unique_ptr<CloudWatchLogsShipper>(new CloudWatchLogsShipper(
      std::move(credentials), std::move(options), std::move(http), std::move(*endpoint)));
}

CloudWatchLogsShipper::CloudWatchLogsShipper(CredentialsSource credentials,
                                             CloudWatchLogsOptions options,
                                             std::shared_ptr<auth::HttpFetcher> http,
                                             ServiceEndpoint endpoint)
    : credentials_(std::move(credentials)),
      options_(std::move(options)),
      http_(std::move(http)),
      endpoint_(std::move(endpoint)),
      signer_(options_.region, "logs") {}

CloudWatchLogsShipper::~CloudWatchLogsShipper() { Stop(std::chrono::milliseconds(0)); }

void CloudWatchLogsShipper::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void CloudWatchLogsShipper::Stop(std::chrono::milliseconds budget) {
  auto deadline = std::chrono::steady_clock::now() + budget;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (budget.count() > 0) {
    std::lock_guard send(send_mu_);
    (void)SendQueued(deadline);  // failures are logged and counted there
  }
  ReportDrops();
}

void CloudWatchLogsShipper::DropOldestLocked() {
  queued_bytes_ -= queue_.front().message.size() + options_.limits.overhead;
  queue_.pop_front();
  ++stats_.events_dropped;
  ++unreported_drops_;
}

void CloudWatchLogsShipper::Enqueue(std::chrono::system_clock::time_point time,
                                    std::string message) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    ++stats_.events_enqueued;
    if (queue_.size() >= options_.max_buffered_events) DropOldestLocked();
    queued_bytes_ += message.size() + options_.limits.overhead;
    queue_.push_back(LogEvent{MillisecondsOf(time), std::move(message)});
    // A call's worth is waiting: send it now rather than at the end of the interval.
    wake = queue_.size() == options_.limits.max_events ||
           (queued_bytes_ >= options_.limits.max_bytes &&
            queued_bytes_ - (queue_.back().message.size() + options_.limits.overhead) <
                options_.limits.max_bytes);
  }
  if (wake) cv_.notify_all();
}

void CloudWatchLogsShipper::Add(const LogEntry& entry) {
  if (entry.component == kComponent) return;
  Enqueue(entry.time, JsonLogLine(entry));
}

void CloudWatchLogsShipper::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait_for(lock, options_.flush_interval, [this] {
      return stopping_ || queue_.size() >= options_.limits.max_events ||
             queued_bytes_ >= options_.limits.max_bytes;
    });
    if (stopping_) return;
    lock.unlock();
    {
      std::lock_guard send(send_mu_);
      (void)SendQueued(std::chrono::steady_clock::time_point::max());
    }
    ReportDrops();
    lock.lock();
  }
}

Status CloudWatchLogsShipper::FlushNow() {
  std::lock_guard send(send_mu_);
  Status status = SendQueued(std::chrono::steady_clock::time_point::max());
  ReportDrops();
  return status;
}

void CloudWatchLogsShipper::ReportDrops() {
  uint64_t drops;
  {
    std::lock_guard lock(mu_);
    drops = unreported_drops_;
    unreported_drops_ = 0;
  }
  if (drops > 0 && options_.on_dropped) options_.on_dropped(drops);
}

Status CloudWatchLogsShipper::SendQueued(std::chrono::steady_clock::time_point deadline) {
  std::vector<LogEvent> events;
  {
    std::lock_guard lock(mu_);
    events.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
    queued_bytes_ = 0;
  }
  if (events.empty()) return Status::Ok();
  std::vector<PutLogEventsBatch> batches =
      BuildPutLogEventsBatches(options_.log_group, options_.log_stream, events, options_.limits);
  Status first;
  size_t done = 0;  // events of the batches answered so far (the batches keep `events`' order
                    // once sorted, so the unsent ones are the last)
  std::stable_sort(events.begin(), events.end(), [](const LogEvent& a, const LogEvent& b) {
    return a.timestamp_ms < b.timestamp_ms;
  });
  for (const PutLogEventsBatch& batch : batches) {
    Status status = Call("PutLogEvents", batch.body, deadline);
    if (status.code() == StatusCode::kNotFound) {
      status = CreateGroupAndStream(deadline);
      if (status.ok()) status = Call("PutLogEvents", batch.body, deadline);
    }
    if (!status.ok()) {
      first = status;
      // Logged without mu_ held: the logger's tap calls Add, which takes it. The line itself is
      // not shipped (its component).
      (options_.log != nullptr ? *options_.log : Logger::Get())
          .Log(LogLevel::kWarning, kComponent, "PutLogEvents failed; the lines are kept",
               {{"error", status.ToString()}});
      break;
    }
    done += batch.events;
    std::lock_guard lock(mu_);
    stats_.events_sent += batch.events;
  }
  if (done < events.size()) {
    // Back to the front of the queue, older than anything queued meanwhile; the bound holds.
    std::lock_guard lock(mu_);
    for (size_t i = events.size(); i-- > done;) {
      queued_bytes_ += events[i].message.size() + options_.limits.overhead;
      queue_.push_front(std::move(events[i]));
    }
    while (queue_.size() > options_.max_buffered_events) DropOldestLocked();
  }
  return first;
}

Status CloudWatchLogsShipper::CreateGroupAndStream(std::chrono::steady_clock::time_point deadline) {
  std::string group = "{\"logGroupName\":";
  AppendJsonString(group, options_.log_group);
  std::string stream = group + ",\"logStreamName\":";
  AppendJsonString(stream, options_.log_stream);
  group += '}';
  stream += '}';
  // Either may exist already (another producer made it, or only the stream was missing).
  bool exists = false;
  Status made = Call("CreateLogGroup", group, deadline, &exists);
  if (!made.ok() && !exists) return made;
  if (made.ok()) {
    std::lock_guard lock(mu_);
    ++stats_.groups_created;
  }
  made = Call("CreateLogStream", stream, deadline, &exists);
  if (!made.ok() && !exists) return made;
  if (made.ok()) {
    std::lock_guard lock(mu_);
    ++stats_.streams_created;
  }
  return Status::Ok();
}

Status CloudWatchLogsShipper::Call(std::string_view action, const std::string& body,
                                   std::chrono::steady_clock::time_point deadline,
                                   bool* already_exists) {
  bool exists = false;
  Status status = [&]() -> Status {
    SignedPost post;
    post.content_type = "application/x-amz-json-1.1";
    post.headers = {{"X-Amz-Target", "Logs_20140328." + std::string(action)}};
    post.body = body;
    post.connect_timeout = options_.connect_timeout;
    post.timeout = options_.request_timeout;
    if (deadline != std::chrono::steady_clock::time_point::max()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return Status::DeadlineExceeded(std::string(action) + " to " + endpoint_.url +
                                        ": the deadline passed");
      }
      post.connect_timeout = std::min(post.connect_timeout, left);
      post.timeout = std::min(post.timeout, left);
    }
    post.use_proxy = options_.use_proxy;
    auto credentials = credentials_();
    if (!credentials.ok()) {
      return Status(credentials.status().code(),
                    "no credentials for CloudWatch Logs: " + credentials.status().message());
    }
    if (!*credentials) return Status::PermissionDenied("no credentials for CloudWatch Logs");
    auto response = PostSigned(*http_, signer_, **credentials, endpoint_, post);
    if (!response.ok()) return response.status();
    if (response->status >= 200 && response->status < 300) return Status::Ok();
    std::string message = std::string(action) + " to " + endpoint_.url + " answered HTTP " +
                          std::to_string(response->status) + " " + response->body.substr(0, 200);
    if (Contains(response->body, "ResourceNotFoundException")) {
      return Status::NotFound(std::move(message));
    }
    exists = Contains(response->body, "ResourceAlreadyExistsException");
    if (response->status == 401 || response->status == 403) {
      return Status::PermissionDenied(std::move(message));
    }
    return Status::Unavailable(std::move(message));
  }();
  if (already_exists != nullptr) *already_exists = exists;
  std::lock_guard lock(mu_);
  // A missing group or an existing one is part of the protocol, not a failure.
  if (status.ok()) {
    ++stats_.calls_ok;
  } else if (status.code() != StatusCode::kNotFound && !exists) {
    ++stats_.calls_failed;
    stats_.last_error = status.ToString();
  }
  return status;
}

CloudWatchLogsShipper::Stats CloudWatchLogsShipper::stats() const {
  std::lock_guard lock(mu_);
  Stats s = stats_;
  s.events_queued = queue_.size();
  return s;
}

}  // namespace kinesis::monitoring
