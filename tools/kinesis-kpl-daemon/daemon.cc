#include "daemon.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config_mapping.h"
#include "credentials_store.h"
#include "kinesis/http_backend.h"
#include "kinesis/producer.h"
#include "kpl_log.h"
#include "kpl_messages.h"
#include "output_channel.h"
#include "pipes.h"

namespace kinesis::kpl {
namespace {

// Producer::Metrics keeps two minutes; a request without `seconds` (the KPL's "since start")
// gets that much.
constexpr uint64_t kLongestMetricsWindow = 120;
constexpr size_t kReadChunk = 1 << 20;

AwsCredentials ToAws(const SetCredentials& c) {
  return AwsCredentials{c.access_key_id, c.secret_key, c.session_token};
}

Result<SetCredentials> CredentialsFromHex(std::string_view option, std::string_view hex) {
  Result<std::string> bytes = DecodeHex(option, hex);
  if (!bytes.ok()) return bytes.status();
  Result<Message> m = DecodeMessage(*bytes);
  if (!m.ok()) return Status::InvalidArgument(std::string(option) + ": " + m.status().message());
  if (m->kind != MessageKind::kSetCredentials) {
    return Status::InvalidArgument(std::string(option) + ": holds a " + MessageKindName(m->kind) +
                                   " message, not SetCredentials");
  }
  Result<SetCredentials> c = DecodeSetCredentials(m->body);
  if (!c.ok()) return Status::InvalidArgument(std::string(option) + ": " + c.status().message());
  return c;
}

class Daemon {
 public:
  Daemon(const DaemonOptions& options, int signal_fd) : options_(options), signal_fd_(signal_fd) {}

  int Run() {
    Status setup = Setup();
    if (!setup.ok()) {
      KplLog(LogLevel::kError, "kinesis-kpl-daemon: " + setup.message());
      return kExitBadSetup;
    }
    // The Java side writes its "out" pipe and reads its "in" pipe.
    Result<OpenedPipes> pipes =
        OpenPipes(options_.java_out_pipe, options_.java_in_pipe, signal_fd_);
    if (!pipes.ok() || pipes->interrupted) {
      if (!pipes.ok()) KplLog(LogLevel::kError, pipes.status().message());
      Status closed = producer_->Close(options_.close_timeout);
      if (!closed.ok()) KplLog(LogLevel::kWarning, "closing the producer: " + closed.message());
      return pipes.ok() ? kExitClean : kExitFailed;
    }
    input_fd_ = pipes->input_fd;
    output_ = std::make_unique<OutputChannel>(pipes->output_fd);
    KplLog(LogLevel::kInfo, "kinesis-kpl-daemon: reading " + options_.java_out_pipe + ", writing " +
                                options_.java_in_pipe);
    bool framing_ok = Serve();
    Shutdown();
    return framing_ok ? kExitClean : kExitFailed;
  }

 private:
  Status Setup() {
    if (!options_.log_level.empty()) {
      std::optional<LogLevel> level = ParseKplLogLevel(options_.log_level);
      if (level) {
        SetKplLogLevel(*level);
      } else {
        KplLog(LogLevel::kWarning, "-l \"" + options_.log_level +
                                       "\" is not a log level (trace, debug, info, warn, "
                                       "warning, error, fatal, off); using info");
      }
    }
    for (const std::string& arg : options_.unknown) {
      KplLog(LogLevel::kWarning, "command line: \"" + arg + "\" is not an option we know; ignored");
    }
    ProducerConfig config;
    KINESIS_RETURN_IF_ERROR(ReadConfiguration(config));
    Result<SetCredentials> kinesis = CredentialsFromHex("-k", options_.kinesis_credentials_hex);
    if (!kinesis.ok()) return kinesis.status();
    kinesis_credentials_.Set(ToAws(*kinesis));
    SetCredentials metrics = *kinesis;
    if (!options_.cloudwatch_credentials_hex.empty()) {
      Result<SetCredentials> w = CredentialsFromHex("-w", options_.cloudwatch_credentials_hex);
      if (!w.ok()) return w.status();
      metrics = *w;
    }
    ApplyMetricsCredentials(metrics, config);
    KINESIS_RETURN_IF_ERROR(config.Validate());

    Result<std::shared_ptr<KinesisBackend>> backend =
        CreateHttpBackend(config, kinesis_credentials_.Callback());
    if (!backend.ok()) return backend.status();
    Result<std::unique_ptr<Producer>> producer = Producer::Create(config, *backend);
    if (!producer.ok()) return producer.status();
    producer_ = std::move(*producer);
    // Producer::Create set the library's level from LogLevel; -l wins, as in the KPL.
    std::optional<LogLevel> level = ParseKplLogLevel(options_.log_level);
    SetKplLogLevel(level ? *level : config.log_level);
    return Status::Ok();
  }

  Status ReadConfiguration(ProducerConfig& config) {
    Result<std::string> bytes = DecodeHex("-c", options_.configuration_hex);
    if (!bytes.ok()) return bytes.status();
    Result<Message> m = DecodeMessage(*bytes);
    if (!m.ok()) return Status::InvalidArgument("-c: " + m.status().message());
    if (m->kind != MessageKind::kConfiguration) {
      return Status::InvalidArgument(std::string("-c: holds a ") + MessageKindName(m->kind) +
                                     " message, not Configuration");
    }
    std::vector<std::string> skipped;
    Status mapped = MapConfiguration(m->body, config, skipped);
    if (!mapped.ok()) return Status::InvalidArgument("-c: " + mapped.message());
    for (const std::string& line : skipped) KplLog(LogLevel::kWarning, "configuration: " + line);
    // The CA directory: -a, else CA_DIR, where the KPL 0.15.x puts its CaCertPath setting (or,
    // when that is not set, the certificates it extracts from its jar), as its binary reads it.
    const char* ca_dir = std::getenv("CA_DIR");
    if (!options_.ca_path.empty()) {
      KINESIS_RETURN_IF_ERROR(ApplySetting(config, "CaCertPath", options_.ca_path));
    } else if (ca_dir != nullptr && *ca_dir != '\0') {
      KINESIS_RETURN_IF_ERROR(ApplySetting(config, "CaCertPath", ca_dir));
    }
    if (const char* ca_file = std::getenv("CA_FILE"); ca_file != nullptr && *ca_file != '\0') {
      KINESIS_RETURN_IF_ERROR(ApplySetting(config, "CaCertFile", ca_file));
    }
    return Status::Ok();
  }

  // CloudWatch uploads (ProducerMonitoring) take keys from the configuration, once: long-lived
  // keys from -w go there; session credentials cannot, and the usual chain is used instead.
  void ApplyMetricsCredentials(const SetCredentials& metrics, ProducerConfig& config) {
    if (!metrics.session_token.empty()) {
      KplLog(LogLevel::kInfo,
             "CloudWatch credentials (-w) carry a session token, which metrics uploads cannot "
             "take: they use the default credentials chain");
      return;
    }
    if (!ApplySetting(config, "AwsAccessKeyId", metrics.access_key_id).ok() ||
        !ApplySetting(config, "AwsSecretKey", metrics.secret_key).ok()) {
      KplLog(LogLevel::kWarning, "CloudWatch credentials (-w) not applied to metrics uploads");
    }
  }

  // Reads and handles messages until the input ends, a signal arrives, or framing is lost
  // (then false).
  bool Serve() {
    FrameReader frames;
    std::string chunk(kReadChunk, '\0');
    while (true) {
      pollfd p[2] = {{signal_fd_, POLLIN, 0}, {input_fd_, POLLIN, 0}};
      int n = ::poll(p, 2, -1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        KplLog(LogLevel::kError, std::string("poll: ") + std::strerror(errno));
        return false;
      }
      if (p[0].revents & POLLIN) {
        signalfd_siginfo info{};
        [[maybe_unused]] ssize_t ignored = ::read(signal_fd_, &info, sizeof info);
        KplLog(LogLevel::kInfo, std::string("kinesis-kpl-daemon: ") +
                                    ::strsignal(static_cast<int>(info.ssi_signo)) +
                                    ", closing the producer");
        return true;
      }
      if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t got = ::read(input_fd_, chunk.data(), chunk.size());
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (got <= 0) {
        if (got < 0) KplLog(LogLevel::kError, std::string("input pipe: ") + std::strerror(errno));
        Status rest = frames.Finish();
        if (!rest.ok()) KplLog(LogLevel::kError, "input pipe: " + rest.message());
        KplLog(LogLevel::kInfo, "kinesis-kpl-daemon: input ended, closing the producer");
        return got == 0 && rest.ok();
      }
      frames.Feed(std::string_view(chunk.data(), static_cast<size_t>(got)));
      while (true) {
        Result<std::optional<std::string_view>> frame = frames.Next();
        if (!frame.ok()) {
          KplLog(LogLevel::kError, "input pipe: " + frame.status().message());
          return false;
        }
        if (!frame->has_value()) break;
        Handle(**frame);
      }
    }
  }

  void Handle(std::string_view bytes) {
    Result<Message> m = DecodeMessage(bytes);
    if (!m.ok()) {
      KplLog(LogLevel::kError, "message ignored: " + m.status().message());
      return;
    }
    switch (m->kind) {
      case MessageKind::kPutRecord:
        return OnPutRecord(*m);
      case MessageKind::kFlush:
        return OnFlush(*m);
      case MessageKind::kMetricsRequest:
        return OnMetricsRequest(*m);
      case MessageKind::kSetCredentials:
        return OnSetCredentials(*m);
      case MessageKind::kStreamMetadata:
        return OnStreamMetadata(*m);
      default:
        NoteOnce(std::string("kind:") + MessageKindName(m->kind), LogLevel::kWarning,
                 std::string("a ") + MessageKindName(m->kind) +
                     " message from the KPL is not one a child receives; ignored");
    }
  }

  void OnPutRecord(const Message& m) {
    uint64_t source = m.id;
    Result<PutRecord> put = DecodePutRecord(m.body);
    if (!put.ok()) {
      Refuse(source, "InvalidArgument", put.status().message());
      return;
    }
    auto arrival = std::chrono::system_clock::now();
    Status s =
        producer_->PutCopy(put->stream_name, put->partition_key, put->data, put->explicit_hash_key,
                           [this, source, arrival](const PutResult& r) {
                             output_->Append([&](std::string& out) {
                               AppendPutRecordResult(NextId(), source, r, arrival, out);
                             });
                           });
    if (!s.ok()) {
      std::string code = s.result_code().empty() ? std::string(StatusCodeName(s.code()))
                                                 : std::string(s.result_code());
      Refuse(source, code, s.message());
    }
  }

  void Refuse(uint64_t source, std::string_view code, const std::string& message) {
    output_->Append(
        [&](std::string& out) { AppendRefusedResult(NextId(), source, code, message, out); });
  }

  void OnFlush(const Message& m) {
    Result<Flush> flush = DecodeFlush(m.body);
    if (!flush.ok()) {
      KplLog(LogLevel::kError, "Flush ignored: " + flush.status().message());
      return;
    }
    // The KPL's flush answers nothing: the records' results are the answer. The future is
    // not waited for (it is promise-backed; dropping it does not block).
    producer_->Flush(flush->stream_name);
  }

  void OnMetricsRequest(const Message& m) {
    Result<MetricsRequest> request = DecodeMetricsRequest(m.body);
    std::vector<MetricValue> metrics;
    uint64_t seconds = kLongestMetricsWindow;
    if (!request.ok()) {
      KplLog(LogLevel::kError, "MetricsRequest: " + request.status().message());
    } else {
      seconds = std::clamp<uint64_t>(request->seconds.value_or(kLongestMetricsWindow), 1,
                                     kLongestMetricsWindow);
      metrics = producer_->Metrics(std::chrono::seconds(seconds));
      if (request->name) {
        std::string_view name = *request->name;
        std::erase_if(metrics, [name](const MetricValue& v) { return v.name != name; });
      }
    }
    // Always answered: the Java side (1.0.x) uses these requests as its health check.
    output_->Append(
        [&](std::string& out) { AppendMetricsResponse(NextId(), m.id, metrics, seconds, out); });
  }

  void OnSetCredentials(const Message& m) {
    Result<SetCredentials> c = DecodeSetCredentials(m.body);
    if (!c.ok()) {
      KplLog(LogLevel::kError, "SetCredentials ignored: " + c.status().message());
      return;
    }
    if (c->for_metrics) {
      NoteOnce("metrics-credentials", LogLevel::kInfo,
               "CloudWatch credentials updates are not applied to metrics uploads (they keep "
               "the credentials they started with)");
      return;
    }
    if (kinesis_credentials_.Set(ToAws(*c))) {
      KplLog(LogLevel::kDebug,
             "Kinesis credentials updated (access key id " + c->access_key_id + ")");
    }
  }

  void OnStreamMetadata(const Message& m) {
    Result<StreamMetadata> md = DecodeStreamMetadata(m.body);
    if (!md.ok()) {
      KplLog(LogLevel::kError, "StreamMetadata ignored: " + md.status().message());
      return;
    }
    NoteOnce("stream-id:" + std::string(md->stream_name), LogLevel::kInfo,
             "StreamMetadata for stream " + std::string(md->stream_name) +
                 ": the stream id is not used (requests name the stream)");
  }

  // Logs `line` the first time `key` is seen (reader thread only).
  void NoteOnce(const std::string& key, LogLevel level, const std::string& line) {
    if (noted_.insert(key).second) KplLog(level, line);
  }

  uint64_t NextId() { return next_id_.fetch_add(1, std::memory_order_relaxed); }

  void Shutdown() {
    Status closed = producer_->Close(options_.close_timeout);
    if (!closed.ok()) KplLog(LogLevel::kWarning, "closing the producer: " + closed.message());
    producer_.reset();
    uint64_t dropped = output_->Close(options_.close_timeout);
    if (dropped > 0) {
      KplLog(LogLevel::kWarning, std::to_string(dropped) +
                                     " bytes of results could not be written: the KPL stopped "
                                     "reading");
    }
    ::close(input_fd_);
  }

  const DaemonOptions& options_;
  const int signal_fd_;
  CredentialsStore kinesis_credentials_;   // read by the back-end: outlives producer_
  std::unique_ptr<OutputChannel> output_;  // written by callbacks: outlives producer_
  std::unique_ptr<Producer> producer_;
  int input_fd_ = -1;
  std::atomic<uint64_t> next_id_{1};
  std::set<std::string> noted_;  // reader thread only
};

}  // namespace

int BlockDaemonSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGPIPE);
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return -1;
  sigdelset(&set, SIGPIPE);
  return ::signalfd(-1, &set, SFD_CLOEXEC);
}

int RunDaemon(const DaemonOptions& options, int signal_fd) {
  Daemon daemon(options, signal_fd);
  return daemon.Run();
}

}  // namespace kinesis::kpl
