// PutRunner: one run of kinesis-put. Reads the inputs (FileFollower), builds records
// (RecordBuilder), puts them with the producer, tracks which are done (AckTracker) and saves
// the checkpoint, shows progress, and ends with the summary and the exit status.
//
// Thread safety: Run() on one thread; the producer's callbacks run on its callback thread and
// touch only RunStats, the trackers, and the failed-out file (under failed_mu_).
#ifndef KINESIS_PUT_PUT_RUNNER_H_
#define KINESIS_PUT_PUT_RUNNER_H_

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "event_counter.h"
#include "file_follower.h"
#include "kinesis/producer.h"
#include "options.h"
#include "progress.h"
#include "record_builder.h"
#include "run_stats.h"
#include "sent_journal.h"

namespace kinesis::put {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRecordsFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCannotStart = 3;

class PutRunner {
 public:
  explicit PutRunner(PutOptions options);
  ~PutRunner();

  // Runs to the end of the input (or, following, until RequestStop) and returns the exit
  // status.
  int Run();

  // Async-signal-safe: asks the reading loop to stop and drain.
  static void RequestStop();

 private:
  int Start();
  void ReadLoop(FileFollower& follower);
  void OnFrame(InputFile& file, const Frame& frame);
  void OnResult(const PutResult& result, const std::shared_ptr<AckTracker>& tracker,
                uint64_t ticket, uint64_t key, const std::shared_ptr<const std::string>& name,
                uint64_t line, uint64_t size, const std::string& data);
  void ReportBad(const std::string& where, InputError error, const std::string& message);
  void SaveCheckpointNow(FileFollower& follower);
  // Saves when the last save is kCheckpointInterval old or a file was (re)opened since.
  void SaveCheckpointIfDue(FileFollower& follower);
  Status OpenSentJournal();
  void WriteFailed(const std::string& data);

  PutOptions options_;
  // Destroyed bottom up: the producer (whose callbacks use the others) goes first.
  RunStats stats_;
  std::unique_ptr<Progress> progress_;
  std::unique_ptr<RecordBuilder> builder_;
  std::unique_ptr<SentJournal> journal_;  // with --checkpoint
  std::unique_ptr<Producer> producer_;
  std::unique_ptr<EventCounter> counter_;  // with --count-by-field; reading thread
  std::vector<CheckpointEntry> checkpoint_;
  FileFollower* follower_ = nullptr;                       // reading thread, during ReadLoop
  std::chrono::steady_clock::time_point last_checkpoint_;  // reading thread
  uint64_t checkpoint_generation_ = ~0ull;                 // reading thread
  uint64_t frames_since_check_ = 0;                        // reading thread
  bool strict_stopped_ = false;
  bool fatal_ = false;
  uint64_t bad_shown_ = 0;  // reading thread
  std::mutex failed_mu_;
  std::FILE* failed_out_ = nullptr;  // guarded by failed_mu_
  uint64_t failures_shown_ = 0;      // guarded by failed_mu_
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_PUT_RUNNER_H_
