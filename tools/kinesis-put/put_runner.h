// PutRunner: one run of kinesis-put. Reads the inputs (FileFollower), builds records
// (RecordBuilder), puts them with the producer, tracks which are done (AckTracker) and saves
// the checkpoint, shows progress, and ends with the summary and the exit status.
//
// Several flows (--agent-config) share the one producer (one connection pool, one buffer);
// each has its own files, stream, records and checkpoint. So that a stream that is throttled
// or away does not stall the others, each flow may hold at most its share of the buffer
// (BufferMaxRecords, and BufferMaxBytes divided among the flows) in records without a
// result: past it, its files are not read until results come back, and the buffer is made
// large enough that the other flows' Put never waits for it.
//
// Thread safety: Run() on one thread; the producer's callbacks run on its callback thread and
// touch only RunStats, the trackers, the records' InFlightBlocks and FileRefs, and the
// failed-out file (under failed_mu_).
#ifndef KINESIS_PUT_PUT_RUNNER_H_
#define KINESIS_PUT_PUT_RUNNER_H_

#include <array>
#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "event_counter.h"
#include "file_follower.h"
#include "flow_metrics.h"
#include "kinesis/producer.h"
#include "options.h"
#include "progress.h"
#include "record_builder.h"
#include "recycler.h"
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

  // True when Run ended for SIGHUP: everything drained, checkpoints saved, no summary; the
  // caller reads the configuration again and runs anew (main.cc).
  bool reloading() const { return reloading_; }

 private:
  // One flow: its options, how its records are built, its files and its checkpoint.
  struct Flow {
    FlowOptions options;
    std::unique_ptr<RecordBuilder> builder;
    std::unique_ptr<FileFollower> follower;
    std::vector<CheckpointEntry> checkpoint;                // as loaded at the start
    std::chrono::steady_clock::time_point last_checkpoint;  // reading thread
    uint64_t checkpoint_generation = ~0ull;                 // reading thread
    // Records put and without a result yet, and their bytes (data + key).
    std::atomic<uint64_t> outstanding{0};
    std::atomic<uint64_t> outstanding_bytes{0};
    // For the summary.
    alignas(64) std::atomic<uint64_t> read{0};       // the reading thread's only (AddOwn)
    alignas(64) std::atomic<uint64_t> succeeded{0};  // the callback thread's only, apart
    std::atomic<uint64_t> failed{0};
    std::atomic<uint64_t> bytes_succeeded{0};  // the callback thread's only
    // Reading thread, a cache line apart from the callback thread's counters above.
    alignas(64) uint64_t lag_bytes = 0;     // measured at the end
    std::unique_ptr<EventCounter> counter;  // with --count-by-field
    std::optional<FlowMetrics> metrics;
    BuiltRecord built;  // the record being put
  };

  // A flow's input file, its tracker and name, for the results of its records in flight: kept
  // by the runner as long as any is (each record holding its own copies of the two shared
  // pointers moved their counts between the reading and the callback thread twice a record).
  struct FileRef {
    Flow* flow = nullptr;
    std::shared_ptr<AckTracker> tracker;
    std::shared_ptr<const std::string> name;  // the file's, for messages
    uint64_t puts = 0;                        // reading thread: records put
    // Results whose callback is done with this: the last thing a callback touches.
    alignas(64) std::atomic<uint64_t> results{0};
  };

  // What the records' results need from their put to their result, for kRecords records at a
  // time: the reading thread fills a block, the callback thread gives it back to blocks_ once
  // all its records have their results (one hand-over per block, not per record). A record's
  // callback holds its block, its place and its size: 16 bytes, which std::function keeps
  // without allocating. What every result reads is apart from what only a failure reads, so a
  // success reads 16 bytes the reading thread wrote (an 88-byte state per record cost the
  // callback thread a cache miss or two per record).
  struct InFlightBlock {
    static constexpr uint32_t kRecords = 256;
    struct Record {
      FileRef* file = nullptr;
      uint64_t ticket = 0;
    };
    std::array<Record, kRecords> records;
    std::array<uint64_t, kRecords> lines;      // for messages
    std::array<uint64_t, kRecords> keys;       // in the sent journal
    std::array<std::string, kRecords> copies;  // the data, with --failed-out
    bool has_copies = false;
    // The callback thread's: records without a result yet, the unused ones included; at 0 the
    // block goes back.
    alignas(64) std::atomic<uint32_t> unfinished{kRecords};
    PutRunner* runner = nullptr;

    // Recycler::Give's: what the reading thread writes before each put is left as it is
    // (assigning a new block, 16 KB, was 8% of the callback thread).
    void Reset() {
      if (has_copies) {
        for (std::string& copy : copies) std::string().swap(copy);
        has_copies = false;
      }
      unfinished.store(kRecords, std::memory_order_relaxed);
    }
  };

  int Start();
  void MakeFollower(Flow& flow);
  void ReadLoop();
  void OnFrame(Flow& flow, InputFile& file, const Frame& frame);
  void OnResult(const PutResult& result, const InFlightBlock& block, uint32_t index, uint64_t size);
  // The FileRef of `file`'s current tracker and name, made when there is none; reading thread.
  FileRef* RefOf(Flow& flow, const InputFile& file);
  // Lets go of the FileRefs without records in flight; reading thread.
  void ReleaseFileRefs();
  // The block and place of the next record; reading thread.
  InFlightBlock* NextInFlight(uint32_t* index);
  // One record of `block` has its result, or was not put: the block goes back once all have.
  void Finished(InFlightBlock* block);
  void ReportBad(const std::string& where, InputError error, const std::string& message);
  void SaveCheckpointNow(Flow& flow);
  // Saves when the last save is kCheckpointInterval old or a file was (re)opened since.
  void SaveCheckpointIfDue(Flow& flow);
  Status OpenSentJournal();
  void WriteFailed(InputFormat format, const std::string& data);
  std::vector<FlowCounts> FlowSummary() const;
  FlowCounts CountsOf(const Flow& flow) const;
  // The flows' counts to their application metrics, every kMetricsInterval and at the end.
  void PublishFlowMetrics(bool measure_lag);

  PutOptions options_;
  // Destroyed bottom up: the producer (whose callbacks use the others) goes first.
  RunStats stats_;
  std::unique_ptr<Progress> progress_;
  std::vector<std::unique_ptr<Flow>> flows_;
  std::unique_ptr<SentJournal> journal_;  // with a checkpoint
  std::vector<std::unique_ptr<FileRef>> file_refs_;  // reading thread
  Recycler<InFlightBlock> blocks_;                   // taken by the reading thread
  // Several flows: each one's share of the buffer (see the class comment); 0: no limit.
  uint64_t flow_max_records_ = 0;
  uint64_t flow_max_bytes_ = 0;
  bool strict_stopped_ = false;
  bool reloading_ = false;
  bool fatal_ = false;
  std::mutex failed_mu_;
  std::FILE* failed_out_ = nullptr;  // guarded by failed_mu_
  uint64_t failures_shown_ = 0;      // guarded by failed_mu_
  // The reading thread's, changed at every record: a cache line apart from what the callback
  // thread reads above (sharing one, it moved between the cores at every record).
  alignas(64) Flow* reading_ = nullptr;  // the flow being read, during ReadLoop
  uint64_t frames_since_check_ = 0;
  uint64_t bad_shown_ = 0;
  uint64_t truncations_shown_ = 0;
  FileRef* last_ref_ = nullptr;     // the last RefOf's
  InFlightBlock* block_ = nullptr;  // the block being filled
  uint32_t block_used_ = 0;         // of its records
  alignas(64) std::unique_ptr<Producer> producer_;
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_PUT_RUNNER_H_
