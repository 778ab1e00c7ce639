// FileFollower: the inputs of kinesis-put, read once (a list of files, or stdin) or followed
// like the Kinesis Agent does (--follow): new files matching the globs are picked up, rotation
// is survived, and reading resumes from a checkpoint.
//
// Following, each Scan() looks at the globs and at every open file:
//   - a path matching a glob whose file (device, inode) is not open yet is opened, at its
//     checkpointed position when the checkpoint knows it and its fingerprint matches, else at 0;
//   - rename-and-create: a file no longer found at any matching path is "retired": it stays
//     open and is read until it has not grown for `retire_after`, then its last unterminated
//     line is sent and it is closed once all its records have results;
//   - copy-and-truncate: an open file that became shorter than what was read (or whose first
//     bytes changed) is read again from 0 with a new tracker. What was written before the
//     truncation and not read yet is read from the copy: a file matching the globs, else in the
//     same folder, that starts with the same bytes (the fingerprint) and holds at the read
//     offset the bytes last read there. The reading (framer, tracker) moves over to the copy,
//     which is then followed like any file. A new file that is such a copy of a followed file
//     is not read from its start (it would send everything twice). With no copy found, the
//     loss is reported (on_loss) with the bytes known to be unread;
//   - a compressed file (.gz, .bz2, .zip, .xz: a rotated log compressed) is not read; it is
//     named in one line of the log;
//   - a checkpointed file that is no longer at a matching path (rotated while kinesis-put was
//     down) is looked for by inode in the folder it was in, and read to its end.
// Read once (not following), the paths are opened in order, each read to its end.
//
// Thread safety: one thread (the reading thread). The trackers are shared with callbacks.
#ifndef KINESIS_PUT_FILE_FOLLOWER_H_
#define KINESIS_PUT_FILE_FOLLOWER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ack_tracker.h"
#include "checkpoint.h"
#include "framer.h"
#include "multiline.h"

namespace kinesis::put {

struct InputFile {
  std::string path;                         // as shown in messages ("stdin" for standard input)
  std::shared_ptr<const std::string> name;  // the same, for results that outlive a rename
  FileId id;
  int fd = -1;
  bool checkpointed = true;  // false for stdin
  bool retired = false;      // following: no longer at a matching path, or a copy
  bool copy = false;         // following: the copy of a truncated file, read to its end
  bool finished = false;     // read to its end, last record emitted
  uint64_t read_offset = 0;  // file offset of the next read
  // Records ending at or before this offset were handed on before a restart: they may be in
  // the stream already.
  uint64_t resend_until = 0;
  // Known from the sent journal instead: how many of the records read again had gone over
  // the wire before the restart (counted down as records are read).
  uint64_t resend_budget = 0;
  uint64_t fingerprint_len = 0;
  uint64_t fingerprint = 0;
  std::string tail;        // the last bytes read (up to kTailBytes), to recognise a copy
  uint64_t seen_size = 0;  // the largest size seen (reads, scans)
  std::chrono::steady_clock::time_point last_growth;
  std::unique_ptr<Framer> framer;
  std::unique_ptr<RecordJoiner> joiner;  // with a multi-line start pattern
  std::shared_ptr<AckTracker> tracker;
};

struct FollowerOptions {
  std::vector<std::string> paths;  // globs when following; "-" is stdin when not
  bool follow = false;
  InputFormat format = InputFormat::kLines;
  uint64_t max_record_size = 1 << 20;
  std::chrono::milliseconds retire_after{5000};
  // Text formats: a line matching this starts a record, other lines join it (multiline.h);
  // null: one record per line (no pattern is matched). A record being built is emitted when
  // the file has had no new line for `multiline_flush`, or when the file is finished.
  std::shared_ptr<const std::regex> multiline_start;
  std::chrono::milliseconds multiline_flush{1000};
  // Text formats: the first lines of every file that are not records (a CSV header).
  uint64_t skip_header_lines = 0;
  // Following with an empty checkpoint: the files found at the first look are read from the
  // end of their last complete line (the Kinesis Agent's END_OF_FILE), not from their start.
  // Files that appear later are read from their start.
  bool start_at_end = false;
};

using FileFrameSink = std::function<void(InputFile&, const Frame&)>;
// An input that cannot be read: its path and the reason.
using FileErrorSink = std::function<void(const std::string&, const std::string&)>;
// Something worth a line in the log: a rotation, a truncation, a file picked up.
using NoteSink = std::function<void(const std::string&)>;
// A truncated file whose copy was not found: its path, the offset read up to, and the bytes
// known to have been past it (the file may have held more, written after the last look).
using LossSink = std::function<void(const std::string&, uint64_t, uint64_t)>;

class FileFollower {
 public:
  FileFollower(FollowerOptions options, std::vector<CheckpointEntry> checkpoint,
               FileErrorSink on_error, NoteSink on_note);
  ~FileFollower();
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  // Following: picks up new files, notices rotation and truncation. Read once: opens the next
  // path when none is open.
  void Scan();
  // Reads what is there, at most `budget` bytes per file, and hands each frame on. Returns the
  // bytes read.
  uint64_t Read(uint64_t budget, const FileFrameSink& sink);
  // Read once: every path has been read to its end.
  bool done() const;
  // Where every checkpointed file stands now.
  std::vector<CheckpointEntry> Checkpoint();
  // The bytes of the open files past what has a result: how far behind their ends the
  // reading is (records read but without a result count as behind).
  uint64_t UnreadBytes() const;
  // Stops reading: closes every file (their trackers live on in callbacks).
  void CloseAll();
  // Changes whenever a file is opened or read again from the start (a new tracker), so the
  // caller can save a checkpoint that knows it before its records are sent.
  uint64_t generation() const { return generation_; }
  void set_on_loss(LossSink on_loss) { on_loss_ = std::move(on_loss); }
  // Asked before each chunk is read: false holds the reading back (the flow's share of the
  // producer's buffer is full). Unset: always read.
  void set_gate(std::function<bool()> gate) { gate_ = std::move(gate); }

 private:
  void ScanFollowed();
  void OpenNext();
  bool Open(const std::string& path, bool retired);
  void Restart(InputFile& file, FilePosition at);
  void RecoverRotated();
  // Truncated `file`: finds its copy among `matched` (and then in its folder), moves the
  // reading over to it and returns it, or null.
  // `*found` tells a copy with nothing unread (not adopted) from no copy at all.
  std::unique_ptr<InputFile> AdoptCopy(InputFile& file, std::map<FileId, std::string>& matched,
                                       bool* found);
  // True when the open file `fd` (of `size` bytes) starts as `file` did, up to what was read.
  bool IsCopyOf(int fd, uint64_t size, const InputFile& file);
  uint64_t ReadFile(InputFile& file, uint64_t budget, const FileFrameSink& sink);
  // Hands a line (or binary record) on: skips header lines, joins multi-line records.
  void Deliver(InputFile& file, const Frame& frame, const FileFrameSink& sink);
  void Finish(InputFile& file, const FileFrameSink& sink);

  FollowerOptions options_;
  std::vector<CheckpointEntry> checkpoint_;
  FileErrorSink on_error_;
  NoteSink on_note_;
  LossSink on_loss_;
  std::function<bool()> gate_;
  std::vector<std::unique_ptr<InputFile>> files_;
  std::vector<std::string> failed_paths_;  // following: unreadable paths already reported
  std::vector<FileId> copies_;             // following: copies of followed files, not read
  size_t next_path_ = 0;                   // read once: the next path to open
  bool recovered_ = false;
  bool first_look_ = true;                 // following: during the first ScanFollowed
  std::set<std::string> compressed_seen_;  // following: compressed paths already named
  uint64_t generation_ = 0;
  std::string buffer_;
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_FILE_FOLLOWER_H_
