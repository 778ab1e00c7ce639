// The checkpoint file of kinesis-put: for each input file, how far every record has its result,
// written so that a crash (kill -9, power loss) leaves either the old or the new file.
//
// Text, one line per input file after a header line:
//   kinesis-put-checkpoint 2
//   file DEV INODE ACKED_OFFSET ACKED_LINE SENT_OFFSET SENT_LINE TRACKER_HEX TX_ACKED FP_LEN
//        FP_HEX PATH
// (version 1, without TRACKER_HEX and TX_ACKED, is still read).
// A file is known by its device and inode (so a renamed file keeps its place) and checked by a
// fingerprint: FNV-1a 64 of its first FP_LEN bytes (at most 256), which tells a reused inode
// from the file it was. SENT_* is how far records had been read and handed to the producer
// when the checkpoint was written. TRACKER_HEX names the reading of the file (AckTracker::id)
// and TX_ACKED counts its transmitted records before ACKED: with the sent journal
// (sent_journal.h) they tell how many records after ACKED had gone over the wire at a crash.
// Without a matching journal, records between ACKED and SENT are the ones counted as possible
// duplicates when sent again.
//
// Thread safety: free functions, no shared state.
#ifndef KINESIS_PUT_CHECKPOINT_H_
#define KINESIS_PUT_CHECKPOINT_H_

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "ack_tracker.h"
#include "kinesis/status.h"

namespace kinesis::put {

struct FileId {
  uint64_t dev = 0;
  uint64_t ino = 0;
  auto operator<=>(const FileId&) const = default;
};

struct CheckpointEntry {
  FileId id;
  FilePosition acked;
  FilePosition sent;
  uint64_t tracker_id = 0;  // 0: unknown (version 1)
  uint64_t transmitted_acked = 0;
  // Not stored: filled in on restart from the sent journal when its tracker matches.
  bool transmitted_known = false;
  uint64_t transmitted_after = 0;  // records after `acked` that had gone over the wire
  uint64_t fingerprint_len = 0;
  uint64_t fingerprint = 0;
  std::string path;  // where the file was last seen
};

inline constexpr uint64_t kFingerprintBytes = 256;

// The fingerprint of the first min(size, kFingerprintBytes) bytes of an open file; sets `*len`.
Status FingerprintFile(int fd, uint64_t* len, uint64_t* fingerprint);
// True when the open file still starts with the bytes the entry's fingerprint covers.
bool MatchesFingerprint(int fd, const CheckpointEntry& entry);

// Reads a checkpoint; a missing file is an empty checkpoint. Errors name the file and line.
Result<std::vector<CheckpointEntry>> LoadCheckpoint(const std::string& path);
// Writes PATH.tmp, fsyncs it, renames it over PATH and fsyncs the folder.
Status SaveCheckpoint(const std::string& path, const std::vector<CheckpointEntry>& entries);

}  // namespace kinesis::put

#endif  // KINESIS_PUT_CHECKPOINT_H_
