#include "put_runner.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fstream>

#include "counting_backend.h"
#include "kinesis/http_backend.h"
#include "summary.h"

namespace kinesis::put {

namespace {

volatile std::sig_atomic_t stop_requested = 0;

constexpr uint64_t kReadBudget = 1 << 20;
constexpr uint64_t kMessagesShown = 20;
// How far the checkpoint may trail the acknowledged records: after kill -9, the records sent
// again that are already in the stream are those in flight plus those acknowledged in the last
// interval (and during the save, an fsync, some 10 ms).
constexpr auto kCheckpointInterval = std::chrono::milliseconds(100);
// Reading checks the clock once per this many records.
constexpr uint64_t kFramesPerCheck = 64;

void OnSignal(int) { stop_requested = 1; }

void SleepFor(std::chrono::milliseconds ms) {
  // A signal ends the sleep early (nanosleep returns EINTR), so a stop is prompt.
  timespec ts{static_cast<time_t>(ms.count() / 1000),
              static_cast<long>(ms.count() % 1000) * 1000000};
  nanosleep(&ts, nullptr);
}

}  // namespace

void PutRunner::RequestStop() { stop_requested = 1; }

PutRunner::PutRunner(PutOptions options) : options_(std::move(options)) {}

PutRunner::~PutRunner() {
  if (failed_out_ != nullptr) std::fclose(failed_out_);
}

int PutRunner::Start() {
  auto fail = [&](const std::string& message) {
    std::fprintf(stderr, "kinesis-put: %s\n", message.c_str());
    return kExitCannotStart;
  };
  if (!options_.checkpoint.empty()) {
    auto loaded = LoadCheckpoint(options_.checkpoint);
    if (!loaded.ok()) return fail(loaded.status().message());
    checkpoint_ = std::move(loaded).value();
    Status journal = OpenSentJournal();
    if (!journal.ok()) return fail(journal.message());
  }
  if (!options_.failed_out.empty()) {
    failed_out_ = std::fopen(options_.failed_out.c_str(), "wb");
    if (failed_out_ == nullptr) {
      return fail("cannot write " + options_.failed_out + ": " + std::strerror(errno));
    }
  }
  auto backend = CreateHttpBackend(options_.config);
  if (!backend.ok()) return fail(backend.status().message());
  auto counting = std::make_shared<CountingBackend>(backend.value(), stats_, journal_.get());
  auto producer = Producer::Create(options_.config, counting);
  if (!producer.ok()) return fail(producer.status().message());
  producer_ = std::move(producer).value();
  builder_ = std::make_unique<RecordBuilder>(options_.format, options_.keys,
                                             options_.config.max_user_record_size);
  bool show = !options_.quiet && (options_.progress == ProgressMode::kAlways ||
                                  (options_.progress == ProgressMode::kAuto && isatty(2)));
  progress_ =
      std::make_unique<Progress>(show, stats_, [this] { return producer_->outstanding().records; });
  if (!options_.keys.count_field.empty()) {
    counter_ =
        std::make_unique<EventCounter>(*producer_, options_.count_metric, options_.keys.count_field,
                                       [this](const std::string& line) { progress_->Print(line); });
  }
  return kExitOk;
}

int PutRunner::Run() {
  auto started = std::chrono::steady_clock::now();
  if (int status = Start(); status != kExitOk) return status;

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sa.sa_flags = SA_RESETHAND;  // a second signal ends the program at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  FollowerOptions fo;
  fo.paths = options_.inputs;
  fo.follow = options_.follow;
  fo.format = options_.format;
  fo.max_record_size = options_.config.max_user_record_size;
  fo.retire_after = options_.rotation_grace;
  FileFollower follower(
      fo, checkpoint_,
      [this](const std::string& path, const std::string& reason) {
        ReportBad(path, InputError::kUnreadableFile, "cannot read: " + reason);
      },
      [this](const std::string& note) {
        if (!options_.quiet) progress_->Print("kinesis-put: " + note);
      });
  follower.set_on_loss([this](const std::string& path, uint64_t offset, uint64_t bytes) {
    stats_.truncated_without_copy.fetch_add(1, std::memory_order_relaxed);
    stats_.lost_bytes_on_truncate.fetch_add(bytes, std::memory_order_relaxed);
    progress_->Print("kinesis-put: WARNING: " + path + " was truncated after byte " +
                     std::to_string(offset) +
                     " had been read, and its copy was not found (looked among the files "
                     "matching the globs and in its folder): the lines written after that byte "
                     "and before the truncation are lost (" +
                     std::to_string(bytes) + " bytes known; more if written since the last look)");
  });
  progress_->Start();
  ReadLoop(follower);
  follower.CloseAll();

  Status flushed = producer_->Flush(std::nullopt, options_.drain_timeout).get();
  if (!flushed.ok()) {
    progress_->Print("kinesis-put: records still without a result after " +
                     std::to_string(options_.drain_timeout.count()) + " ms: failing them");
  }
  producer_->Close(std::chrono::seconds(1)).ok();
  progress_->Stop();
  if (!options_.checkpoint.empty()) SaveCheckpointNow(follower);

  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int status = kExitOk;
  if (fatal_ || strict_stopped_ || stats_.failed.load() > 0 || stats_.bad_input.load() > 0 ||
      stats_.truncated_without_copy.load() > 0 ||
      stats_.succeeded.load() != stats_.accepted.load()) {
    status = kExitRecordsFailed;
  }
  if (!options_.quiet) std::fputs(SummaryText(stats_, seconds).c_str(), stderr);
  if (!options_.quiet && counter_ != nullptr) std::fputs(counter_->Report(8).c_str(), stderr);
  if (!options_.summary_json.empty()) {
    std::ofstream out(options_.summary_json, std::ios::trunc);
    out << SummaryJson(stats_, seconds, status);
    if (!out) {
      std::fprintf(stderr, "kinesis-put: cannot write %s\n", options_.summary_json.c_str());
      status = kExitRecordsFailed;
    }
  }
  return status;
}

Status PutRunner::OpenSentJournal() {
  std::string path = options_.checkpoint + ".sent";
  auto counts = SentJournal::Load(path);
  if (!counts.ok()) return counts.status();
  for (CheckpointEntry& e : checkpoint_) {
    auto it = counts->find(e.tracker_id);
    if (e.tracker_id == 0 || it == counts->end()) continue;
    e.transmitted_known = true;
    e.transmitted_after = it->second > e.transmitted_acked ? it->second - e.transmitted_acked : 0;
  }
  auto journal = SentJournal::Create(path);
  if (!journal.ok()) return journal.status();
  journal_ = std::move(journal).value();
  return Status::Ok();
}

void PutRunner::ReadLoop(FileFollower& follower) {
  auto now = std::chrono::steady_clock::now();
  auto last_scan = now;
  follower_ = &follower;
  follower.Scan();
  auto sink = [this](InputFile& file, const Frame& frame) { OnFrame(file, frame); };
  while (!stop_requested && !strict_stopped_ && !fatal_) {
    SaveCheckpointIfDue(follower);
    uint64_t got = follower.Read(kReadBudget, sink);
    if (!options_.follow && follower.done()) break;
    now = std::chrono::steady_clock::now();
    SaveCheckpointIfDue(follower);
    if (!options_.follow) {
      follower.Scan();
      continue;
    }
    if (now - last_scan >= options_.poll) {
      follower.Scan();
      last_scan = now;
    }
    // With a checkpoint, idle reading still wakes to save the acknowledgements coming in.
    if (got == 0) {
      SleepFor(options_.checkpoint.empty()
                   ? options_.poll
                   : std::min<std::chrono::milliseconds>(options_.poll, kCheckpointInterval));
    }
  }
  follower_ = nullptr;
}

void PutRunner::OnFrame(InputFile& file, const Frame& frame) {
  // Stopping: the rest is neither sent nor acknowledged, so a restart from the checkpoint
  // sends it.
  if (strict_stopped_ || fatal_ || stop_requested) return;
  stats_.records_read.fetch_add(1, std::memory_order_relaxed);
  if (follower_ != nullptr && ++frames_since_check_ == kFramesPerCheck) {
    frames_since_check_ = 0;
    SaveCheckpointIfDue(*follower_);
  }
  uint64_t ticket = file.tracker->Add({frame.end_offset, frame.line});
  BuiltRecord record;
  std::string message;
  std::string where = file.path + ":" + std::to_string(frame.line);
  InputError error = builder_->Build(frame, &record, &message);
  if (error != InputError::kNone) {
    ReportBad(where, error, message);
    file.tracker->Done(ticket);
    return;
  }
  if (file.resend_budget > 0) {
    --file.resend_budget;
    stats_.resent_after_restart.fetch_add(1, std::memory_order_relaxed);
  } else if (frame.end_offset <= file.resend_until) {
    stats_.resent_after_restart.fetch_add(1, std::memory_order_relaxed);
  }
  uint64_t size = record.data.size() + record.partition_key.size();
  std::string copy = failed_out_ != nullptr ? record.data : std::string();
  std::optional<std::string_view> hash_key;
  if (!record.explicit_hash_key.empty()) hash_key = record.explicit_hash_key;
  uint64_t key = 0;
  if (journal_ != nullptr) {
    key = SentJournal::Key(record.partition_key, frame.data);
    journal_->Expect(key, file.tracker, ticket);
  }
  while (true) {
    auto callback = [this, tracker = file.tracker, ticket, key, name = file.name, line = frame.line,
                     size, copy](const PutResult& result) {
      OnResult(result, tracker, ticket, key, name, line, size, copy);
    };
    Status s = producer_->PutCopy(options_.stream, record.partition_key, frame.data, hash_key,
                                  std::move(callback));
    if (s.ok()) {
      if (counter_ != nullptr) counter_->Count(record.count_value);
      break;
    }
    // A full buffer with nothing moving for PutTimeout: the service is slow or away. Keep
    // the record and try again; asked to stop, leave it unacknowledged for a restart.
    if (s.code() == StatusCode::kResourceExhausted) {
      if (stop_requested) {
        if (journal_ != nullptr) journal_->Forget(key, file.tracker.get(), ticket);
        return;
      }
      continue;
    }
    ReportBad(where, InputError::kRejected, s.message());
    if (journal_ != nullptr) journal_->Forget(key, file.tracker.get(), ticket);
    file.tracker->Done(ticket);
    return;
  }
  stats_.accepted.fetch_add(1, std::memory_order_relaxed);
  stats_.bytes_accepted.fetch_add(size, std::memory_order_relaxed);
}

void PutRunner::OnResult(const PutResult& result, const std::shared_ptr<AckTracker>& tracker,
                         uint64_t ticket, uint64_t key,
                         const std::shared_ptr<const std::string>& name, uint64_t line,
                         uint64_t size, const std::string& data) {
  // A success went out, so the journal let go of it then; only a failure may be unsent.
  if (journal_ != nullptr && !result.success) journal_->Forget(key, tracker.get(), ticket);
  if (!result.attempts.empty()) {
    stats_.retries.fetch_add(result.attempts.size() - 1, std::memory_order_relaxed);
  }
  if (result.success) {
    stats_.succeeded.fetch_add(1, std::memory_order_relaxed);
    stats_.bytes_succeeded.fetch_add(size, std::memory_order_relaxed);
    tracker->Done(ticket);
    return;
  }
  stats_.failed.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(stats_.mu);
    ++stats_.failed_by_code[result.error_code];
  }
  // Cut short by the end of the run, with a checkpoint: not acknowledged, so a restart sends
  // it again; not written to --failed-out, so it is not sent twice.
  bool resend_from_checkpoint =
      result.error_code == "ProducerClosed" && !options_.checkpoint.empty();
  if (!resend_from_checkpoint) tracker->Done(ticket);
  std::lock_guard lock(failed_mu_);
  if (failures_shown_++ < kMessagesShown) {
    progress_->Print("kinesis-put: " + *name + ":" + std::to_string(line) +
                     ": failed: " + result.error_code + ": " + result.error_message);
  }
  if (failed_out_ != nullptr && !resend_from_checkpoint) WriteFailed(data);
}

void PutRunner::WriteFailed(const std::string& data) {
  if (options_.format == InputFormat::kBinary) {
    uint32_t n = static_cast<uint32_t>(data.size());
    unsigned char header[4] = {static_cast<unsigned char>(n >> 24),
                               static_cast<unsigned char>(n >> 16),
                               static_cast<unsigned char>(n >> 8), static_cast<unsigned char>(n)};
    std::fwrite(header, 1, 4, failed_out_);
    std::fwrite(data.data(), 1, data.size(), failed_out_);
  } else {
    std::fwrite(data.data(), 1, data.size(), failed_out_);
    std::fputc('\n', failed_out_);
  }
  std::fflush(failed_out_);
}

void PutRunner::ReportBad(const std::string& where, InputError error, const std::string& message) {
  stats_.bad_input.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(stats_.mu);
    ++stats_.bad_input_by_kind[std::string(InputErrorName(error))];
  }
  if (bad_shown_ < kMessagesShown) {
    progress_->Print("kinesis-put: " + where + ": " + message);
  } else if (bad_shown_ == kMessagesShown) {
    progress_->Print("kinesis-put: more bad input is counted, not shown");
  }
  ++bad_shown_;
  if (options_.strict && !strict_stopped_) {
    strict_stopped_ = true;
    progress_->Print("kinesis-put: stopping at the first bad input (--strict)");
  }
}

void PutRunner::SaveCheckpointIfDue(FileFollower& follower) {
  if (options_.checkpoint.empty() || fatal_) return;
  if (follower.generation() == checkpoint_generation_ &&
      std::chrono::steady_clock::now() - last_checkpoint_ < kCheckpointInterval) {
    return;
  }
  SaveCheckpointNow(follower);
}

void PutRunner::SaveCheckpointNow(FileFollower& follower) {
  last_checkpoint_ = std::chrono::steady_clock::now();
  checkpoint_generation_ = follower.generation();
  Status s = SaveCheckpoint(options_.checkpoint, follower.Checkpoint());
  if (!s.ok()) {
    progress_->Print("kinesis-put: " + s.message() + "; stopping");
    fatal_ = true;
  }
}

}  // namespace kinesis::put
