#include "file_follower.h"

#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

namespace kinesis::put {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
// Bytes kept of what was read last, compared with a candidate copy at the same offset.
constexpr size_t kTailBytes = 64;

FileId IdOf(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

std::vector<std::string> Glob(const std::string& pattern) {
  std::vector<std::string> paths;
  glob_t g{};
  if (glob(pattern.c_str(), 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) paths.emplace_back(g.gl_pathv[i]);
  }
  globfree(&g);
  return paths;
}

std::string Folder(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash + 1);
}

bool ReadAt(int fd, uint64_t offset, size_t len, std::string* out) {
  out->resize(len);
  size_t got = 0;
  while (got < len) {
    ssize_t n = pread(fd, out->data() + got, len - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

// A rotated log that was compressed: not text, so not read.
std::string_view CompressedSuffix(std::string_view path) {
  for (std::string_view suffix : {".gz", ".bz2", ".zip", ".xz"}) {
    if (path.size() > suffix.size() && path.ends_with(suffix)) return suffix;
  }
  return {};
}

// Where the last complete line of the first `size` bytes ends, and how many lines are before.
FilePosition EndOfLastLine(int fd, uint64_t size) {
  FilePosition end;
  std::string chunk(kReadChunk, '\0');
  for (uint64_t at = 0; at < size;) {
    ssize_t n = pread(fd, chunk.data(), std::min<uint64_t>(chunk.size(), size - at),
                      static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (const char* p = chunk.data();
         (p = static_cast<const char*>(std::memchr(p, '\n', chunk.data() + n - p))) != nullptr;
         ++p) {
      ++end.line;
      end.offset = at + static_cast<uint64_t>(p - chunk.data()) + 1;
    }
    at += static_cast<uint64_t>(n);
  }
  return end;
}

}  // namespace

FileFollower::FileFollower(FollowerOptions options, std::vector<CheckpointEntry> checkpoint,
                           FileErrorSink on_error, NoteSink on_note)
    : options_(std::move(options)),
      checkpoint_(std::move(checkpoint)),
      on_error_(std::move(on_error)),
      on_note_(std::move(on_note)),
      buffer_(kReadChunk, '\0') {}

FileFollower::~FileFollower() { CloseAll(); }

void FileFollower::CloseAll() {
  for (auto& file : files_) {
    if (file->fd > 0) close(file->fd);
    file->fd = -1;
    file->finished = true;
  }
}

bool FileFollower::done() const {
  if (options_.follow || next_path_ < options_.paths.size()) return false;
  return std::all_of(files_.begin(), files_.end(), [](const auto& f) { return f->finished; });
}

void FileFollower::Scan() {
  if (options_.follow) {
    ScanFollowed();
  } else if (std::all_of(files_.begin(), files_.end(), [](const auto& f) { return f->finished; })) {
    OpenNext();
  }
}

void FileFollower::OpenNext() {
  while (next_path_ < options_.paths.size()) {
    if (Open(options_.paths[next_path_++], /*retired=*/false)) return;
  }
}

bool FileFollower::Open(const std::string& path, bool retired) {
  auto file = std::make_unique<InputFile>();
  file->path = path;
  file->retired = retired;
  if (path == "-" && !options_.follow) {
    file->path = "stdin";
    file->fd = 0;
    file->checkpointed = false;
  } else {
    file->fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (file->fd < 0) {
      on_error_(path, std::strerror(errno));
      return false;
    }
  }
  struct stat st {};
  if (fstat(file->fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    on_error_(path, S_ISDIR(st.st_mode) ? "is a directory" : std::strerror(errno));
    if (file->fd > 0) close(file->fd);
    return false;
  }
  file->id = IdOf(st);
  file->name = std::make_shared<const std::string>(file->path);
  FilePosition start;
  if (file->checkpointed) {
    for (const CheckpointEntry& e : checkpoint_) {
      if (e.id == file->id && static_cast<uint64_t>(st.st_size) >= e.acked.offset &&
          MatchesFingerprint(file->fd, e)) {
        start = e.acked;
        file->resend_until = e.transmitted_known ? 0 : e.sent.offset;
        file->resend_budget = e.transmitted_known ? e.transmitted_after : 0;
      }
    }
    if (start.offset == 0 && options_.follow && options_.start_at_end && first_look_ &&
        checkpoint_.empty() && !retired) {
      start = EndOfLastLine(file->fd, static_cast<uint64_t>(st.st_size));
      on_note_(path + ": starting at its end, byte " + std::to_string(start.offset) + " (line " +
               std::to_string(start.line) + ")");
    } else if (start.offset > 0) {
      on_note_(path + ": resuming at byte " + std::to_string(start.offset) + " (line " +
               std::to_string(start.line) + ") from the checkpoint");
    }
    Status s = FingerprintFile(file->fd, &file->fingerprint_len, &file->fingerprint);
    if (!s.ok()) {
      on_error_(path, s.message());
      close(file->fd);
      return false;
    }
  }
  Restart(*file, start);
  files_.push_back(std::move(file));
  return true;
}

void FileFollower::Restart(InputFile& file, FilePosition at) {
  if (file.checkpointed) lseek(file.fd, static_cast<off_t>(at.offset), SEEK_SET);
  file.read_offset = at.offset;
  file.framer =
      std::make_unique<Framer>(options_.format, options_.max_record_size, at.offset, at.line);
  file.tracker = std::make_shared<AckTracker>(at);
  file.joiner =
      options_.multiline_start == nullptr
          ? nullptr
          : std::make_unique<RecordJoiner>(options_.multiline_start, options_.max_record_size);
  file.tail.clear();
  file.seen_size = at.offset;
  ++generation_;
  file.last_growth = std::chrono::steady_clock::now();
}

void FileFollower::ScanFollowed() {
  std::map<FileId, std::string> matched;
  for (const std::string& pattern : options_.paths) {
    for (const std::string& path : Glob(pattern)) {
      if (std::string_view suffix = CompressedSuffix(path); !suffix.empty()) {
        if (compressed_seen_.insert(path).second) {
          on_note_(path + ": compressed (" + std::string(suffix) + "); not read");
        }
        continue;
      }
      struct stat st {};
      if (stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) matched.emplace(IdOf(st), path);
    }
  }
  // Retired files that are done and whose records all have results are forgotten; a copy
  // stays known as one while it is there, so that it is not read again as a new file.
  std::erase_if(copies_, [&](const FileId& id) { return matched.count(id) == 0; });
  std::erase_if(files_, [this](const std::unique_ptr<InputFile>& f) {
    bool forget = f->retired && f->finished && f->tracker->in_flight() == 0;
    if (forget && f->copy) copies_.push_back(f->id);
    return forget;
  });
  std::vector<std::unique_ptr<InputFile>> adopted;
  for (auto& file : files_) {
    auto it = matched.find(file->id);
    if (it != matched.end()) {
      if (it->second != file->path) on_note_(file->path + ": renamed to " + it->second);
      if (it->second != file->path) file->name = std::make_shared<const std::string>(it->second);
      file->path = it->second;
      file->retired = file->copy;
      matched.erase(it);
    } else if (!file->retired) {
      file->retired = true;
      on_note_(file->path + ": rotated away; reading it to its end");
    }
    struct stat st {};
    if (file->fd < 0 || fstat(file->fd, &st) != 0) continue;
    file->seen_size = std::max(file->seen_size, static_cast<uint64_t>(st.st_size));
    // Shorter than what was read, or other first bytes: truncated (and perhaps written again
    // past the old size before this scan).
    CheckpointEntry known;
    known.fingerprint_len = file->fingerprint_len;
    known.fingerprint = file->fingerprint;
    bool rewritten = file->fingerprint_len > 0 && !MatchesFingerprint(file->fd, known);
    if (static_cast<uint64_t>(st.st_size) < file->read_offset || rewritten) {
      on_note_(file->path + ": truncated; reading it again from the start");
      bool found = false;
      std::unique_ptr<InputFile> copy = AdoptCopy(*file, matched, &found);
      if (copy != nullptr) {
        on_note_(file->path + ": reading from byte " + std::to_string(copy->read_offset) +
                 " of its copy " + copy->path + " what was written before the truncation");
        adopted.push_back(std::move(copy));
      } else if (!found && on_loss_) {
        on_loss_(file->path, file->read_offset,
                 file->seen_size > file->read_offset ? file->seen_size - file->read_offset : 0);
      }
      file->resend_until = 0;
      file->resend_budget = 0;
      Restart(*file, {});
      FingerprintFile(file->fd, &file->fingerprint_len, &file->fingerprint).ok();
    }
  }
  for (auto& copy : adopted) files_.push_back(std::move(copy));
  for (const auto& [id, path] : matched) {
    if (std::find(failed_paths_.begin(), failed_paths_.end(), path) != failed_paths_.end() ||
        std::find(copies_.begin(), copies_.end(), id) != copies_.end()) {
      continue;
    }
    // A copy of a followed file (copytruncate's first step, or cp): its lines are sent from the
    // original; read from its start it would send them twice.
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    bool copy = false;
    if (fd >= 0 && fstat(fd, &st) == 0) {
      for (const auto& file : files_) {
        if (file->fd >= 0 && IsCopyOf(fd, static_cast<uint64_t>(st.st_size), *file)) {
          on_note_(path + ": a copy of " + file->path + "; not read from its start");
          copy = true;
          break;
        }
      }
    }
    if (fd >= 0) close(fd);
    if (copy) {
      copies_.push_back(id);
      continue;
    }
    if (!Open(path, /*retired=*/false)) failed_paths_.push_back(path);
  }
  if (!recovered_) {
    recovered_ = true;
    RecoverRotated();
  }
  first_look_ = false;
}

bool FileFollower::IsCopyOf(int fd, uint64_t size, const InputFile& file) {
  if (file.fingerprint_len == 0 || file.read_offset == 0) return false;
  CheckpointEntry head;
  head.fingerprint_len = file.fingerprint_len;
  head.fingerprint = file.fingerprint;
  if (!MatchesFingerprint(fd, head)) return false;
  // The same bytes where reading stopped (or, for a copy shorter than that, where the copy
  // ends, compared with the original while it still holds them).
  std::string theirs, ours;
  if (size >= file.read_offset) {
    ours = file.tail;
    return ReadAt(fd, file.read_offset - ours.size(), ours.size(), &theirs) && theirs == ours;
  }
  size_t len = static_cast<size_t>(std::min<uint64_t>(size, kTailBytes));
  return ReadAt(fd, size - len, len, &theirs) && ReadAt(file.fd, size - len, len, &ours) &&
         theirs == ours;
}

std::unique_ptr<InputFile> FileFollower::AdoptCopy(InputFile& file,
                                                   std::map<FileId, std::string>& matched,
                                                   bool* found) {
  *found = false;
  std::vector<std::pair<FileId, std::string>> candidates(matched.begin(), matched.end());
  std::string folder = Folder(file.path);
  if (DIR* dir = opendir(folder.c_str())) {
    while (struct dirent* entry = readdir(dir)) {
      std::string path = folder == "." ? entry->d_name : folder + entry->d_name;
      struct stat st {};
      if (stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
        candidates.emplace_back(IdOf(st), path);
    }
    closedir(dir);
  }
  for (const auto& [id, path] : candidates) {
    bool open_already = std::any_of(files_.begin(), files_.end(),
                                    [&, id = id](const auto& f) { return f->id == id; });
    if (id == file.id || open_already) continue;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {};
    uint64_t size = fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    CheckpointEntry head;
    head.fingerprint_len = file.fingerprint_len;
    head.fingerprint = file.fingerprint;
    bool same_start = file.fingerprint_len > 0 && MatchesFingerprint(fd, head);
    if (same_start && size < file.read_offset) {
      // Copied before the last read: it holds nothing unread (the original, which could
      // confirm the rest, is truncated now).
      close(fd);
      *found = true;
      copies_.push_back(id);
      matched.erase(id);
      return nullptr;
    }
    if (!same_start || !IsCopyOf(fd, size, file)) {
      close(fd);
      continue;
    }
    *found = true;
    matched.erase(id);
    auto copy = std::make_unique<InputFile>();
    copy->path = path;
    copy->name = std::make_shared<const std::string>(path);
    copy->id = id;
    copy->fd = fd;
    copy->copy = true;
    copy->retired = true;
    copy->read_offset = file.read_offset;
    copy->resend_until = file.resend_until;
    copy->resend_budget = file.resend_budget;
    copy->fingerprint_len = file.fingerprint_len;
    copy->fingerprint = file.fingerprint;
    copy->tail = file.tail;
    copy->seen_size = size;
    copy->last_growth = std::chrono::steady_clock::now();
    copy->framer = std::move(file.framer);
    copy->joiner = std::move(file.joiner);
    copy->tracker = file.tracker;
    lseek(fd, static_cast<off_t>(file.read_offset), SEEK_SET);
    return copy;
  }
  return nullptr;
}

void FileFollower::RecoverRotated() {
  for (const CheckpointEntry& e : checkpoint_) {
    bool already =
        std::any_of(files_.begin(), files_.end(), [&](const auto& f) { return f->id == e.id; });
    if (already) continue;
    std::string folder = Folder(e.path);
    DIR* dir = opendir(folder.c_str());
    if (dir == nullptr) continue;
    while (struct dirent* entry = readdir(dir)) {
      if (entry->d_ino != e.id.ino) continue;
      std::string path = folder == "." ? entry->d_name : folder + entry->d_name;
      struct stat st {};
      if (stat(path.c_str(), &st) != 0 || IdOf(st) != e.id) continue;
      int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      bool same = fd >= 0 && MatchesFingerprint(fd, e);
      if (fd >= 0) close(fd);
      if (same) {
        on_note_(e.path + ": rotated to " + path + " while stopped; reading it to its end");
        Open(path, /*retired=*/true);
      }
      break;
    }
    closedir(dir);
  }
}

uint64_t FileFollower::Read(uint64_t budget, const FileFrameSink& sink) {
  uint64_t total = 0;
  for (size_t i = 0; i < files_.size(); ++i) {
    InputFile& file = *files_[i];
    if (file.finished) continue;
    uint64_t got = ReadFile(file, budget, sink);
    total += got;
    auto idle = std::chrono::steady_clock::now() - file.last_growth;
    if (!options_.follow) {
      if (got < budget) Finish(file, sink);
    } else if (file.retired && got == 0 && idle >= options_.retire_after) {
      on_note_(file.path + ": closed after rotation");
      Finish(file, sink);
    } else if (got == 0 && file.joiner != nullptr && file.joiner->has_pending() &&
               std::chrono::steady_clock::now() - file.joiner->last_line() >=
                   options_.multiline_flush) {
      file.joiner->Flush([&](const Frame& f) { sink(file, f); });
    }
  }
  return total;
}

uint64_t FileFollower::ReadFile(InputFile& file, uint64_t budget, const FileFrameSink& sink) {
  uint64_t total = 0;
  while (total < budget && (!gate_ || gate_())) {
    ssize_t n = read(file.fd, buffer_.data(), buffer_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      on_error_(file.path, std::strerror(errno));
      break;
    }
    if (n == 0) break;
    file.framer->Feed(std::string_view(buffer_.data(), static_cast<size_t>(n)),
                      [&](const Frame& f) { Deliver(file, f, sink); });
    file.read_offset += static_cast<uint64_t>(n);
    total += static_cast<uint64_t>(n);
    // The last bytes read, to recognise a copy of this file after a truncation.
    std::string_view got(buffer_.data(), static_cast<size_t>(n));
    if (got.size() >= kTailBytes) {
      file.tail.assign(got.substr(got.size() - kTailBytes));
    } else {
      file.tail.append(got);
      if (file.tail.size() > kTailBytes) file.tail.erase(0, file.tail.size() - kTailBytes);
    }
  }
  if (total > 0) {
    file.last_growth = std::chrono::steady_clock::now();
    file.seen_size = std::max(file.seen_size, file.read_offset);
    if (file.checkpointed && file.fingerprint_len < kFingerprintBytes) {
      FingerprintFile(file.fd, &file.fingerprint_len, &file.fingerprint).ok();
    }
  }
  return total;
}

void FileFollower::Deliver(InputFile& file, const Frame& frame, const FileFrameSink& sink) {
  if (frame.line <= options_.skip_header_lines) return;
  if (file.joiner == nullptr) {
    sink(file, frame);
    return;
  }
  file.joiner->Feed(frame, [&](const Frame& record) { sink(file, record); });
}

void FileFollower::Finish(InputFile& file, const FileFrameSink& sink) {
  file.framer->Finish([&](const Frame& f) { Deliver(file, f, sink); });
  if (file.joiner != nullptr) file.joiner->Flush([&](const Frame& f) { sink(file, f); });
  file.finished = true;
  if (file.fd > 0) close(file.fd);
  file.fd = -1;
}

uint64_t FileFollower::UnreadBytes() const {
  uint64_t behind = 0;
  for (const auto& file : files_) {
    struct stat st {};
    if (file->fd < 0 || !file->checkpointed || fstat(file->fd, &st) != 0) continue;
    uint64_t acked = file->tracker->acked().offset;
    uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size > acked) behind += size - acked;
  }
  return behind;
}

std::vector<CheckpointEntry> FileFollower::Checkpoint() {
  std::vector<CheckpointEntry> entries;
  for (auto& file : files_) {
    if (!file->checkpointed) continue;
    if (file->fd >= 0 && file->fingerprint_len < kFingerprintBytes) {
      FingerprintFile(file->fd, &file->fingerprint_len, &file->fingerprint).ok();
    }
    CheckpointEntry e;
    e.id = file->id;
    TrackerState state = file->tracker->state();
    e.acked = state.acked;
    e.sent = state.added;
    e.tracker_id = file->tracker->id();
    e.transmitted_acked = state.transmitted_acked;
    e.fingerprint_len = file->fingerprint_len;
    e.fingerprint = file->fingerprint;
    e.path = file->path;
    entries.push_back(std::move(e));
  }
  // Read once, files not read this time keep their places; following, only files still
  // followed are kept.
  for (const CheckpointEntry& old : checkpoint_) {
    bool kept = std::any_of(entries.begin(), entries.end(),
                            [&](const CheckpointEntry& e) { return e.id == old.id; });
    if (!kept && (!options_.follow || !recovered_)) entries.push_back(old);
  }
  return entries;
}

}  // namespace kinesis::put
