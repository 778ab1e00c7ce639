// Producer: the composition root. A producer is built here from its parts: its logger, budget,
// metrics, result dispatcher and engine, its Kinesis back-end, and its monitoring, which shares
// the back-end's region and credentials (AwsContext). Puts are validated and charged to the
// budget in the caller's thread, then handed to the engine.
#include "producer/producer_impl.h"

#include <algorithm>
#include <atomic>
#include <map>

#include "backend/aws_context.h"
#include "common/log.h"
#include "kinesis/producer.h"
#include "kinesis/user_record.h"
#include "metrics/app_metrics.h"
#include "pipeline/backoff.h"
#include "pipeline/buffer_budget.h"
#include "pipeline/engine.h"
#include "pipeline/result_dispatcher.h"
#include "producer/producer_monitoring.h"

namespace kinesis {
namespace {

class ProducerImpl final : public Producer {
 public:
  ProducerImpl(const ProducerConfig& config, std::shared_ptr<KinesisBackend> backend,
               EngineOptions options)
      : config_(config),
        clock_(*options.clock),
        threaded_(options.threaded),
        limits_{config.max_user_record_size},
        budget_(config.buffer_max_records, config.buffer_max_bytes),
        log_(config.log_level, config.log_sink),
        metrics_(config.metrics_level, config.metrics_granularity),
        app_metrics_(metrics_, config.app_metrics_max_series,
                     config.metrics_extra_dimensions.size()),
        dispatcher_(budget_, metrics_, log_),
        engine_(config, std::move(backend), dispatcher_, metrics_, budget_, log_, options) {
    // Also the process-wide logger's: a tool's message echoing a setting must not leak it.
    log_.SetFormat(config.log_format);
    for (Logger* log : {&log_, &Logger::Get()}) {
      log->AddSecret(config.aws_secret_key);
      log->AddSecret(config.proxy_password);
    }
    if (!config.verify_certificate) {
      log_.Log(LogLevel::kWarning, "producer",
               "TLS certificate verification is off (VerifyCertificate=false)");
    }
    budget_.set_wait_hook([this] { engine_.Nudge(); });
  }

  // Starts the metrics' outlets; fails when one the configuration asks for cannot. `aws`: the
  // back-end's region and credentials, which CloudWatch shares (null: it makes its own).
  Status StartMonitoring(bool aws_endpoint, std::shared_ptr<const AwsContext> aws) {
    auto monitoring =
        ProducerMonitoring::Start(config_, metrics_, aws_endpoint, log_, std::move(aws));
    if (!monitoring.ok()) return monitoring.status();
    monitoring_ = std::move(monitoring.value());
    return Status::Ok();
  }

  ~ProducerImpl() override {
    (void)Close(std::chrono::seconds(10));
    monitoring_.reset();  // its threads read metrics_
  }

  Status Put(std::string_view stream, std::string_view partition_key, std::string data,
             std::optional<std::string_view> explicit_hash_key, PutCallback callback) override {
    return Accept(stream, partition_key, data, &data, explicit_hash_key, std::move(callback));
  }

  Status PutCopy(std::string_view stream, std::string_view partition_key, std::string_view data,
                 std::optional<std::string_view> explicit_hash_key, PutCallback callback) override {
    return Accept(stream, partition_key, data, nullptr, explicit_hash_key, std::move(callback));
  }

  // Put and PutCopy: `data`, moved in from `*movable` when that is given, else copied.
  Status Accept(std::string_view stream, std::string_view partition_key, std::string_view data,
                std::string* movable, std::optional<std::string_view> explicit_hash_key,
                PutCallback callback) {
    if (closed_.load(std::memory_order_relaxed)) {
      return Status::ProducerClosed("the producer is closed");
    }
    if (stream.empty()) return Status::InvalidArgument("stream name is empty");
    // The partition key's MD5 is left to the engine, which hashes keys eight at a time; an
    // explicit hash key is parsed here, so a bad one is refused at once.
    KINESIS_RETURN_IF_ERROR(
        ValidateUserRecordSize(UserRecordView{partition_key, data, std::nullopt}, limits_));
    HashKey explicit_hash;
    if (explicit_hash_key) {
      Result<HashKey> parsed = HashKey::Parse(*explicit_hash_key);
      if (!parsed.ok()) return parsed.status();
      explicit_hash = *parsed;
    }
    auto wait = config_.buffer_full_policy == BufferFullPolicy::kBlock
                    ? std::chrono::milliseconds(config_.put_timeout_ms)
                    : std::chrono::milliseconds(0);
    Status charged = budget_.Charge(BufferCharge(data.size(), partition_key.size()), wait);
    if (!charged.ok()) {
      metrics_.Record(Metric::kQueueFullEvents, stream, {}, 1);
      return charged;
    }

    PendingRecord* record =
        PendingRecord::New(partition_key, explicit_hash_key.value_or(""), data, movable);
    record->stream = Intern(stream);
    if (explicit_hash_key) {
      record->hash = explicit_hash;
      record->key_hash = std::hash<std::string_view>()(partition_key);
    } else {
      record->hash_pending = true;  // Engine::HashKeys
    }
    record->callback = std::move(callback);
    // The put time is read at the kernel's tick (1-4 ms early, never late): a record may then
    // be sent or expire up to a tick sooner, and its latencies read up to a tick longer.
    record->put_ns = clock_.CoarseNowNs();
    record->expires_ns = SaturatingAddNs(record->put_ns, config_.record_ttl_ms);
    record->send_by_ns =
        SaturatingAddNs(record->put_ns, config_.record_max_buffered_time_ms) - send_lead_ns_;
    Status submitted = engine_.Submit(record);
    if (!submitted.ok()) {
      budget_.Release(record->charge(), 1);
      PendingRecord::Delete(record);
    }
    return submitted;
  }

  std::future<Status> Flush(std::optional<std::string_view> stream,
                            std::chrono::milliseconds deadline) override {
    auto done = std::make_shared<std::promise<Status>>();
    std::future<Status> future = done->get_future();
    if (dispatcher_.OnDispatcherThread()) {
      // Its future would be ready only once the callbacks it waits for have run on this very
      // thread, after the one calling it returns: waiting for it here would never end.
      done->set_value(Status::FailedPrecondition(
          "Flush called from a result callback: its future becomes ready only after callbacks "
          "that run on this thread once this one returns, so it is refused; flush from another "
          "thread"));
      return future;
    }
    std::optional<std::string> name;
    if (stream) name = std::string(*stream);
    engine_.Flush(std::move(name), std::move(done),
                  SaturatingAddNs(clock_.NowNs(), static_cast<uint64_t>(deadline.count())));
    return future;
  }

  Status Close(std::chrono::milliseconds deadline) override {
    if (dispatcher_.OnDispatcherThread()) {
      // Close returns once every callback has run, this one's caller included; and a Close on
      // another thread holds close_mu_ while it waits for this callback.
      return Status::FailedPrecondition(
          "Close called from a result callback: it returns only after every callback has run, "
          "this one included, so it is refused and the producer stays open; close from another "
          "thread");
    }
    std::lock_guard lock(close_mu_);
    if (closed_.exchange(true)) return close_status_;
    const auto close_started = std::chrono::steady_clock::now();
    // Puts waiting for room fail now with ProducerClosed; later ones are refused by closed_,
    // and any that got past it are refused by the engine once it stops (Engine::Shutdown).
    budget_.Close();
    std::future<Status> drained = Flush(std::nullopt, deadline);
    if (threaded_) {
      drained.wait();
    } else {
      engine_.RunPass();  // a test steps the engine itself: one pass, then what is left fails
    }
    uint64_t failed = engine_.Shutdown();
    // Return only once every callback, the ProducerClosed ones included, has run.
    std::promise<void> callbacks_done;
    dispatcher_.PostTask([&] { callbacks_done.set_value(); });
    callbacks_done.get_future().wait();
    // What the metrics recorded since the last upload, within what is left of the deadline.
    if (monitoring_) {
      monitoring_->FinalUpload(deadline - std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::steady_clock::now() - close_started));
    }
    if (failed > 0) {
      close_status_ =
          Status::DeadlineExceeded(std::to_string(failed) +
                                   " records had no result when Close's deadline passed; they "
                                   "were failed with ProducerClosed");
    }
    return close_status_;
  }

  std::vector<MetricValue> Metrics(std::chrono::seconds window) const override {
    return metrics_.Read(window);
  }

  ApplicationMetrics& AppMetrics() override { return app_metrics_; }

  void Log(LogLevel level, std::string_view message,
           const std::vector<std::pair<std::string, std::string>>& fields) override {
    if (!log_.Enabled(level)) return;
    std::vector<LogField> parts;
    parts.reserve(fields.size());
    for (const auto& [key, value] : fields) parts.push_back(LogField{key, value});
    log_.Log(level, "app", message, std::span<const LogField>(parts));
  }

  Outstanding outstanding() const override {
    Outstanding o;
    o.records = budget_.records();
    o.bytes = budget_.bytes();
    int64_t oldest = engine_.oldest_put_ns();
    if (oldest != 0) {
      o.oldest_age = std::chrono::milliseconds((clock_.NowNs() - oldest) / 1000000);
    }
    return o;
  }

  void LogConfigNote(const std::string& note) { log_.Log(LogLevel::kWarning, "config", note); }

  ProducerParts parts() { return ProducerParts{&engine_, &dispatcher_}; }

 private:
  // The interned key for a stream name. A one-entry cache per thread makes the common case
  // (one stream, or runs of puts to the same stream) a string comparison.
  StreamKey* Intern(std::string_view name) {
    struct Cache {
      uint64_t producer_id = 0;
      StreamKey* key = nullptr;
    };
    thread_local Cache cache;
    if (cache.producer_id == id_ && cache.key != nullptr && cache.key->name == name) {
      return cache.key;
    }
    std::lock_guard lock(streams_mu_);
    auto it = streams_.find(name);
    if (it == streams_.end()) {
      auto key = std::make_unique<StreamKey>();
      key->name = std::string(name);
      it = streams_.emplace(key->name, std::move(key)).first;
    }
    cache = Cache{id_, it->second.get()};
    return it->second.get();
  }

  static inline std::atomic<uint64_t> next_id_{1};
  const uint64_t id_ = next_id_.fetch_add(1);
  std::mutex streams_mu_;
  std::map<std::string, std::unique_ptr<StreamKey>, std::less<>>
      streams_;  // guarded by streams_mu_
  const ProducerConfig config_;
  const Clock& clock_;
  const bool threaded_;
  // Sending starts this long before a record's buffering deadline (a twentieth of
  // RecordMaxBufferedTime, at most 5 ms): RecordMaxBufferedTime bounds the time until a record
  // is sent, and sealing, building and signing its request take a few milliseconds after the
  // engine acts (RequestTime p99 6 ms at 250,000 records/s here).
  const int64_t send_lead_ns_ =
      static_cast<int64_t>(std::min<uint64_t>(config_.record_max_buffered_time_ms, 100) * 50000);
  const RecordLimits limits_;
  BufferBudget budget_;
  Logger log_;  // this producer's: its level, its sink, its secrets
  MetricsRegistry metrics_;
  AppMetricsRegistry app_metrics_;  // series of metrics_
  // After budget_ and metrics_: releases into the one, counts callbacks that throw in the other.
  ResultDispatcher dispatcher_;
  Engine engine_;  // after dispatcher_ and metrics_: uses both
  std::atomic<bool> closed_{false};
  std::mutex close_mu_;
  Status close_status_;                             // guarded by close_mu_
  std::unique_ptr<ProducerMonitoring> monitoring_;  // last: reads metrics_
};

}  // namespace

Result<std::unique_ptr<Producer>> CreateProducer(const ProducerConfig& config,
                                                 std::shared_ptr<KinesisBackend> backend,
                                                 EngineOptions options, ProducerParts* parts) {
  KINESIS_RETURN_IF_ERROR(config.Validate());
  if (backend == nullptr) return Status::InvalidArgument("Producer::Create: no Kinesis backend");
  bool aws_endpoint = backend->is_aws_endpoint();
  std::shared_ptr<const AwsContext> aws = AwsContextOf(*backend);
  auto producer =
      std::make_unique<ProducerImpl>(EffectiveProducerConfig(config), std::move(backend), options);
  KINESIS_RETURN_IF_ERROR(producer->StartMonitoring(aws_endpoint, std::move(aws)));
  // Each once, for this producer, in its log.
  for (const std::string& note : ProducerConfigNotes(config)) producer->LogConfigNote(note);
  if (parts != nullptr) *parts = producer->parts();
  return std::unique_ptr<Producer>(std::move(producer));
}

Result<std::unique_ptr<Producer>> Producer::Create(const ProducerConfig& config,
                                                   std::shared_ptr<KinesisBackend> backend) {
  return CreateProducer(config, std::move(backend), EngineOptions{}, nullptr);
}

Result<std::future<PutResult>> Producer::Put(std::string_view stream,
                                             std::string_view partition_key, std::string data,
                                             std::optional<std::string_view> explicit_hash_key) {
  auto promise = std::make_shared<std::promise<PutResult>>();
  std::future<PutResult> future = promise->get_future();
  Status s = Put(stream, partition_key, std::move(data), explicit_hash_key,
                 [promise](const PutResult& r) { promise->set_value(r); });
  if (!s.ok()) return s;
  return future;
}

}  // namespace kinesis
