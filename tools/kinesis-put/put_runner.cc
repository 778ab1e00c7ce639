#include "put_runner.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "counting_backend.h"
#include "kinesis/http_backend.h"
#include "summary.h"

namespace kinesis::put {

namespace {

volatile std::sig_atomic_t stop_requested = 0;
// SIGHUP: stop as for SIGTERM (everything drained, the checkpoints saved), then start again
// with the configuration read anew. A SIGINT or SIGTERM after it cancels the reload.
volatile std::sig_atomic_t reload_requested = 0;

constexpr uint64_t kReadBudget = 1 << 20;
constexpr uint64_t kMessagesShown = 20;
// How far the checkpoint may trail the acknowledged records: after kill -9, the records sent
// again that are already in the stream are those in flight plus those acknowledged in the last
// interval (and during the save, an fsync, some 10 ms).
constexpr auto kCheckpointInterval = std::chrono::milliseconds(100);
// Several flows: what one read of a flow past its share may add to the buffer (a 64 KiB chunk
// of the shortest lines; a record of up to 1 MiB and the keys of a chunk).
constexpr uint64_t kReadSlackRecords = 32768;
constexpr uint64_t kReadSlackBytes = 4 << 20;
// How often the flows' counts go to their application metrics (and the lag is measured).
constexpr auto kMetricsInterval = std::chrono::seconds(1);
// Reading checks the clock once per this many records.
constexpr uint64_t kFramesPerCheck = 64;

void OnSignal(int) {
  stop_requested = 1;
  reload_requested = 0;
}

void OnReload(int) {
  reload_requested = 1;
  stop_requested = 1;
}

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
  for (const std::string& note : options_.notes) {
    if (!options_.quiet) std::fprintf(stderr, "kinesis-put: %s\n", note.c_str());
  }
  for (FlowOptions& fo : options_.flows) {
    auto flow = std::make_unique<Flow>();
    flow->options = std::move(fo);
    if (!flow->options.checkpoint.empty()) {
      auto loaded = LoadCheckpoint(flow->options.checkpoint);
      if (!loaded.ok()) return fail(loaded.status().message());
      flow->checkpoint = std::move(loaded).value();
    }
    flows_.push_back(std::move(flow));
  }
  if (!options_.journal_base.empty()) {
    // The Agent's checkpointFile may be in a folder not made yet (as its default is).
    std::filesystem::path folder = std::filesystem::path(options_.journal_base).parent_path();
    std::error_code ec;
    if (!folder.empty()) std::filesystem::create_directories(folder, ec);
    if (ec)
      return fail("cannot make the checkpoint folder " + folder.string() + ": " + ec.message());
    Status journal = OpenSentJournal();
    if (!journal.ok()) return fail(journal.message());
  }
  if (!options_.failed_out.empty()) {
    failed_out_ = std::fopen(options_.failed_out.c_str(), options_.resumed ? "ab" : "wb");
    if (failed_out_ == nullptr) {
      return fail("cannot write " + options_.failed_out + ": " + std::strerror(errno));
    }
  }
  ProducerConfig config = options_.config;
  if (flows_.size() > 1) {
    // Each flow holds at most its share; the buffer has room for every share and for what one
    // read past it may add (a chunk of short lines, a long record).
    flow_max_records_ = config.buffer_max_records;
    flow_max_bytes_ = std::max<uint64_t>(config.buffer_max_bytes / flows_.size(), 1 << 20);
    config.buffer_max_records = flows_.size() * (flow_max_records_ + kReadSlackRecords);
    config.buffer_max_bytes = flows_.size() * (flow_max_bytes_ + kReadSlackBytes);
  }
  auto backend = CreateHttpBackend(config);
  if (!backend.ok()) return fail(backend.status().message());
  auto counting = std::make_shared<CountingBackend>(backend.value(), stats_, journal_.get());
  auto producer = Producer::Create(config, counting);
  if (!producer.ok()) return fail(producer.status().message());
  producer_ = std::move(producer).value();
  for (auto& flow : flows_) {
    const FlowOptions& fo = flow->options;
    flow->builder =
        std::make_unique<RecordBuilder>(fo.format, fo.keys, config.max_user_record_size);
    if (fo.truncate) flow->builder->set_truncation(fo.truncated_record_terminator);
    if (fo.newline_terminated) {
      std::unique_ptr<DataProcessor> processor;
      if (!fo.processing.empty()) {
        auto created = DataProcessor::Create(fo.processing);
        if (!created.ok()) return fail(created.status().message());
        processor = std::move(created).value();
      }
      flow->builder->set_agent_records(std::move(processor));
    }
  }
  bool show = !options_.quiet && (options_.progress == ProgressMode::kAlways ||
                                  (options_.progress == ProgressMode::kAuto && isatty(2)));
  progress_ =
      std::make_unique<Progress>(show, stats_, [this] { return producer_->outstanding().records; });
  progress_->set_metrics([this] { return producer_->Metrics(Progress::kDetailWindow); });
  std::vector<std::string> flow_names;
  for (auto& flow : flows_) {
    // The flow's counts on the Prometheus endpoint and in the statistics (flow_metrics.h); two
    // flows of one name are told apart by their place.
    std::string name = CountsOf(*flow).name;
    if (std::count(flow_names.begin(), flow_names.end(), name) > 0) {
      name += " #" + std::to_string(flow_names.size() + 1);
    }
    flow_names.push_back(name);
    Result<FlowMetrics> metrics = FlowMetrics::Create(*producer_, name);
    if (metrics.ok()) {
      flow->metrics = std::move(metrics).value();
    } else {
      progress_->Print("kinesis-put: flow " + name +
                       ": no per-flow metrics: " + metrics.status().message());
    }
    const FlowOptions& fo = flow->options;
    if (fo.keys.count_field.empty()) continue;
    flow->counter =
        std::make_unique<EventCounter>(*producer_, options_.count_metric, fo.keys.count_field,
                                       [this](const std::string& line) { progress_->Print(line); });
  }
  return kExitOk;
}

void PutRunner::MakeFollower(Flow& flow) {
  const FlowOptions& o = flow.options;
  FollowerOptions fo;
  fo.paths = o.inputs;
  fo.follow = options_.follow;
  fo.format = o.format;
  fo.max_record_size = options_.config.max_user_record_size;
  fo.retire_after = options_.rotation_grace;
  fo.multiline_start = o.multiline_start;
  fo.multiline_flush = o.multiline_flush;
  fo.skip_header_lines = o.skip_header_lines;
  fo.start_at_end = o.start_at_end;
  flow.follower = std::make_unique<FileFollower>(
      fo, flow.checkpoint,
      [this](const std::string& path, const std::string& reason) {
        ReportBad(path, InputError::kUnreadableFile, "cannot read: " + reason);
      },
      [this](const std::string& note) {
        if (!options_.quiet) progress_->Print("kinesis-put: " + note);
      });
  flow.follower->set_on_loss([this](const std::string& path, uint64_t offset, uint64_t bytes) {
    stats_.truncated_without_copy.fetch_add(1, std::memory_order_relaxed);
    stats_.lost_bytes_on_truncate.fetch_add(bytes, std::memory_order_relaxed);
    progress_->Print("kinesis-put: WARNING: " + path + " was truncated after byte " +
                     std::to_string(offset) +
                     " had been read, and its copy was not found (looked among the files "
                     "matching the globs and in its folder): the lines written after that byte "
                     "and before the truncation are lost (" +
                     std::to_string(bytes) + " bytes known; more if written since the last look)");
  });
  if (flow_max_records_ > 0) {
    flow.follower->set_gate([this, &flow] {
      return flow.outstanding.load(std::memory_order_relaxed) < flow_max_records_ &&
             flow.outstanding_bytes.load(std::memory_order_relaxed) < flow_max_bytes_;
    });
  }
}

int PutRunner::Run() {
  auto started = std::chrono::steady_clock::now();
  if (int status = Start(); status != kExitOk) return status;

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sa.sa_flags = SA_RESETHAND;  // a second signal ends the program at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  struct sigaction hup {};
  hup.sa_handler = OnReload;
  sigaction(SIGHUP, &hup, nullptr);

  for (auto& flow : flows_) MakeFollower(*flow);
  progress_->Start();
  ReadLoop();
  Status flushed = producer_->Flush(std::nullopt, options_.drain_timeout).get();
  if (!flushed.ok()) {
    progress_->Print("kinesis-put: records still without a result after " +
                     std::to_string(options_.drain_timeout.count()) + " ms: failing them");
  }
  // Reading has stopped; the files stay open through the drain to measure what is left.
  PublishFlowMetrics(/*measure_lag=*/true);
  for (auto& flow : flows_) flow->follower->CloseAll();
  producer_->Close(std::chrono::seconds(1)).ok();
  progress_->Stop();
  for (auto& flow : flows_) {
    if (!flow->options.checkpoint.empty()) SaveCheckpointNow(*flow);
  }

  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int status = kExitOk;
  if (fatal_ || strict_stopped_ || stats_.failed.load() > 0 || stats_.bad_input.load() > 0 ||
      stats_.truncated_without_copy.load() > 0 ||
      stats_.succeeded.load() != stats_.accepted.load()) {
    status = kExitRecordsFailed;
  }
  std::vector<FlowCounts> flows = FlowSummary();
  if (reload_requested && !fatal_ && !strict_stopped_) {
    // The next start resumes from the checkpoints just saved: the summary is at the end.
    reloading_ = true;
    reload_requested = 0;
    stop_requested = 0;
    if (!options_.quiet) {
      std::fprintf(stderr,
                   "kinesis-put: SIGHUP: reloading the configuration (%llu records "
                   "succeeded since the last start)\n",
                   static_cast<unsigned long long>(stats_.succeeded.load()));
    }
    return status;
  }
  if (!options_.quiet) std::fputs(SummaryText(stats_, seconds, flows).c_str(), stderr);
  for (const auto& flow : flows_) {
    if (!options_.quiet && flow->counter != nullptr) {
      std::fputs(flow->counter->Report(8).c_str(), stderr);
    }
  }
  if (!options_.summary_json.empty()) {
    std::ofstream out(options_.summary_json, std::ios::trunc);
    out << SummaryJson(stats_, seconds, status, flows);
    if (!out) {
      std::fprintf(stderr, "kinesis-put: cannot write %s\n", options_.summary_json.c_str());
      status = kExitRecordsFailed;
    }
  }
  return status;
}

Status PutRunner::OpenSentJournal() {
  std::string path = options_.journal_base + ".sent";
  auto counts = SentJournal::Load(path);
  if (!counts.ok()) return counts.status();
  for (auto& flow : flows_) {
    for (CheckpointEntry& e : flow->checkpoint) {
      auto it = counts->find(e.tracker_id);
      if (e.tracker_id == 0 || it == counts->end()) continue;
      e.transmitted_known = true;
      e.transmitted_after = it->second > e.transmitted_acked ? it->second - e.transmitted_acked : 0;
    }
  }
  auto journal = SentJournal::Create(path);
  if (!journal.ok()) return journal.status();
  journal_ = std::move(journal).value();
  return Status::Ok();
}

void PutRunner::ReadLoop() {
  auto now = std::chrono::steady_clock::now();
  auto last_scan = now;
  auto last_metrics = now;
  bool checkpointed = !options_.journal_base.empty();
  for (auto& flow : flows_) flow->follower->Scan();
  while (true) {
    if (reload_requested && (options_.journal_base.empty() || !options_.follow)) {
      // Without a checkpoint a new start would read the files again from their start.
      reload_requested = 0;
      stop_requested = 0;
      progress_->Print("kinesis-put: SIGHUP: no checkpoint to resume from; not reloading");
    }
    if (stop_requested || strict_stopped_ || fatal_) break;
    uint64_t got = 0;
    bool done = true;
    for (auto& flow : flows_) {
      Flow& f = *flow;
      reading_ = &f;
      SaveCheckpointIfDue(f);
      got += f.follower->Read(kReadBudget, [this, &f](InputFile& file, const Frame& frame) {
        OnFrame(f, file, frame);
      });
      SaveCheckpointIfDue(f);
      done &= f.follower->done();
    }
    reading_ = nullptr;
    ReleaseFileRefs();
    if (!options_.follow && done) break;
    now = std::chrono::steady_clock::now();
    if (now - last_metrics >= kMetricsInterval) {
      PublishFlowMetrics(/*measure_lag=*/true);
      last_metrics = now;
    }
    if (!options_.follow) {
      for (auto& flow : flows_) flow->follower->Scan();
      continue;
    }
    if (now - last_scan >= options_.poll) {
      for (auto& flow : flows_) flow->follower->Scan();
      last_scan = now;
    }

    // With a checkpoint, idle reading still wakes to save the acknowledgements coming in.
    if (got == 0) {
      SleepFor(checkpointed
                   ? std::min<std::chrono::milliseconds>(options_.poll, kCheckpointInterval)
                   : options_.poll);
    }
  }
  reading_ = nullptr;
}

void PutRunner::OnFrame(Flow& flow, InputFile& file, const Frame& frame) {
  // Stopping: the rest is neither sent nor acknowledged, so a restart from the checkpoint
  // sends it.
  if (strict_stopped_ || fatal_ || stop_requested) return;
  AddOwn(stats_.records_read, 1);
  AddOwn(flow.read, 1);
  if (reading_ != nullptr && ++frames_since_check_ == kFramesPerCheck) {
    frames_since_check_ = 0;
    SaveCheckpointIfDue(*reading_);
  }
  uint64_t ticket = file.tracker->Add({frame.end_offset, frame.line});
  // The flow's, reused: its strings keep their room from one record to the next.
  BuiltRecord& record = flow.built;
  std::string message;
  auto where = [&] { return file.path + ":" + std::to_string(frame.line); };
  InputError error = flow.builder->Build(frame, &record, &message);
  if (error != InputError::kNone) {
    ReportBad(where(), error, message);
    file.tracker->Done(ticket);
    return;
  }
  if (record.skipped) {
    stats_.records_skipped.fetch_add(1, std::memory_order_relaxed);
    file.tracker->Done(ticket);
    return;
  }
  if (record.truncated) {
    stats_.records_truncated.fetch_add(1, std::memory_order_relaxed);
    if (truncations_shown_++ < kMessagesShown) {
      progress_->Print("kinesis-put: " + where() + ": record of " + std::to_string(frame.size) +
                       " bytes truncated to " + std::to_string(record.data.size()) + " bytes");
    }
  }
  if (file.resend_budget > 0) {
    --file.resend_budget;
    stats_.resent_after_restart.fetch_add(1, std::memory_order_relaxed);
  } else if (frame.end_offset <= file.resend_until) {
    stats_.resent_after_restart.fetch_add(1, std::memory_order_relaxed);
  }
  uint64_t size = record.data.size() + record.partition_key.size();
  std::optional<std::string_view> hash_key;
  if (!record.explicit_hash_key.empty()) hash_key = record.explicit_hash_key;
  // What goes out: the journal knows a record by it.
  std::string_view data = record.rewritten ? std::string_view(record.data) : frame.data;
  uint64_t key = 0;
  if (journal_ != nullptr) {
    key = SentJournal::Key(record.partition_key, data);
    journal_->Expect(key, file.tracker, ticket);
  }
  FileRef* ref = RefOf(flow, file);
  uint32_t index = 0;
  InFlightBlock* block = NextInFlight(&index);
  block->records[index] = {ref, ticket};
  block->lines[index] = frame.line;
  block->keys[index] = key;
  if (failed_out_ != nullptr) {
    block->copies[index] = record.data;
    block->has_copies = true;
  }
  ++ref->puts;
  auto callback = [block, index, size = static_cast<uint32_t>(size)](const PutResult& result) {
    FileRef* done = block->records[index].file;
    block->runner->OnResult(result, *block, index, size);
    block->runner->Finished(block);
    // Last: the reading thread may now let the FileRef go.
    done->results.fetch_add(1, std::memory_order_release);
  };
  static_assert(sizeof(callback) <= 16, "kept in std::function without an allocation");
  while (true) {
    Status s =
        producer_->PutCopy(flow.options.stream, record.partition_key, data, hash_key, callback);
    if (s.ok()) {
      if (flow.counter != nullptr) flow.counter->Count(record.count_value);
      break;
    }
    // A full buffer with nothing moving for PutTimeout: the service is slow or away. Keep
    // the record and try again; asked to stop, leave it unacknowledged for a restart.
    if (s.code() == StatusCode::kResourceExhausted) {
      if (stop_requested) {
        if (journal_ != nullptr) journal_->Forget(key, file.tracker.get(), ticket);
        Finished(block);
        --ref->puts;
        return;
      }
      continue;
    }
    Finished(block);
    --ref->puts;
    ReportBad(where(), InputError::kRejected, s.message());
    if (journal_ != nullptr) journal_->Forget(key, file.tracker.get(), ticket);
    file.tracker->Done(ticket);
    return;
  }
  AddOwn(stats_.accepted, 1);
  AddOwn(stats_.bytes_accepted, size);
  if (flow_max_records_ > 0) {
    flow.outstanding.fetch_add(1, std::memory_order_relaxed);
    flow.outstanding_bytes.fetch_add(size, std::memory_order_relaxed);
  }
}

PutRunner::InFlightBlock* PutRunner::NextInFlight(uint32_t* index) {
  if (block_ == nullptr || block_used_ == InFlightBlock::kRecords) {
    block_ = blocks_.Take();
    block_->runner = this;
    block_used_ = 0;
  }
  *index = block_used_++;
  return block_;
}

void PutRunner::Finished(InFlightBlock* block) {
  if (block->unfinished.fetch_sub(1, std::memory_order_acq_rel) == 1) blocks_.Give(block);
}

PutRunner::FileRef* PutRunner::RefOf(Flow& flow, const InputFile& file) {
  auto same = [&](const FileRef* ref) {
    return ref->flow == &flow && ref->tracker == file.tracker && ref->name == file.name;
  };
  if (last_ref_ != nullptr && same(last_ref_)) return last_ref_;
  auto it = std::find_if(file_refs_.begin(), file_refs_.end(),
                         [&](const std::unique_ptr<FileRef>& ref) { return same(ref.get()); });
  if (it == file_refs_.end()) {
    it = file_refs_.insert(file_refs_.end(),
                           std::unique_ptr<FileRef>(new FileRef{&flow, file.tracker, file.name}));
  }
  last_ref_ = it->get();
  return last_ref_;
}

void PutRunner::ReleaseFileRefs() {
  std::erase_if(file_refs_, [this](const std::unique_ptr<FileRef>& ref) {
    if (ref->results.load(std::memory_order_acquire) != ref->puts) return false;
    if (ref.get() == last_ref_) last_ref_ = nullptr;
    return true;
  });
}

void PutRunner::OnResult(const PutResult& result, const InFlightBlock& block, uint32_t index,
                         uint64_t size) {
  const FileRef& file = *block.records[index].file;
  const uint64_t ticket = block.records[index].ticket;
  Flow& flow = *file.flow;
  AckTracker* tracker = file.tracker.get();
  if (flow_max_records_ > 0) {
    flow.outstanding.fetch_sub(1, std::memory_order_relaxed);
    flow.outstanding_bytes.fetch_sub(size, std::memory_order_relaxed);
  }
  // A success went out, so the journal let go of it then; only a failure may be unsent.
  if (journal_ != nullptr && !result.success) journal_->Forget(block.keys[index], tracker, ticket);
  if (result.attempts.size() > 1) {
    stats_.retries.fetch_add(result.attempts.size() - 1, std::memory_order_relaxed);
  }
  if (result.success) {
    AddOwn(flow.succeeded, 1);
    AddOwn(flow.bytes_succeeded, size);
    AddOwn(stats_.succeeded, 1);
    AddOwn(stats_.bytes_succeeded, size);
    tracker->Done(ticket);
    return;
  }
  stats_.failed.fetch_add(1, std::memory_order_relaxed);
  flow.failed.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(stats_.mu);
    ++stats_.failed_by_code[result.error_code];
  }
  // Cut short by the end of the run, with a checkpoint: not acknowledged, so a restart sends
  // it again; not written to --failed-out, so it is not sent twice.
  bool resend_from_checkpoint =
      result.error_code == "ProducerClosed" && !flow.options.checkpoint.empty();
  if (!resend_from_checkpoint) tracker->Done(ticket);
  std::lock_guard lock(failed_mu_);
  if (failures_shown_++ < kMessagesShown) {
    progress_->Print("kinesis-put: " + *file.name + ":" + std::to_string(block.lines[index]) +
                     ": failed: " + result.error_code + ": " + result.error_message);
  }
  if (failed_out_ != nullptr && !resend_from_checkpoint)
    WriteFailed(flow.options.format, block.copies[index]);
}

void PutRunner::WriteFailed(InputFormat format, const std::string& data) {
  if (format == InputFormat::kBinary) {
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

FlowCounts PutRunner::CountsOf(const Flow& flow) const {
  FlowCounts c;
  c.name = flow.options.name.empty() ? flow.options.stream : flow.options.name;
  c.read = flow.read.load();
  c.succeeded = flow.succeeded.load();
  c.failed = flow.failed.load();
  c.bytes = flow.bytes_succeeded.load();
  c.lag_bytes = flow.lag_bytes;
  return c;
}

std::vector<FlowCounts> PutRunner::FlowSummary() const {
  std::vector<FlowCounts> counts;
  for (const auto& flow : flows_) counts.push_back(CountsOf(*flow));
  return counts;
}

void PutRunner::PublishFlowMetrics(bool measure_lag) {
  for (auto& flow : flows_) {
    if (measure_lag) flow->lag_bytes = flow->follower->UnreadBytes();
    if (flow->metrics) flow->metrics->Publish(CountsOf(*flow));
  }
}

void PutRunner::SaveCheckpointIfDue(Flow& flow) {
  if (flow.options.checkpoint.empty() || fatal_) return;
  if (flow.follower->generation() == flow.checkpoint_generation &&
      std::chrono::steady_clock::now() - flow.last_checkpoint < kCheckpointInterval) {
    return;
  }
  SaveCheckpointNow(flow);
}

void PutRunner::SaveCheckpointNow(Flow& flow) {
  flow.last_checkpoint = std::chrono::steady_clock::now();
  flow.checkpoint_generation = flow.follower->generation();
  Status s = SaveCheckpoint(flow.options.checkpoint, flow.follower->Checkpoint());
  if (!s.ok()) {
    progress_->Print("kinesis-put: " + s.message() + "; stopping");
    fatal_ = true;
  }
}

}  // namespace kinesis::put
