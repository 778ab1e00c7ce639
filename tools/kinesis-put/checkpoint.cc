#include "checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kinesis::put {

namespace {

constexpr char kHeader[] = "kinesis-put-checkpoint 2";
constexpr char kHeaderVersion1[] = "kinesis-put-checkpoint 1";

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

uint64_t Fnv1a(const char* data, size_t size) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 0x100000001b3ull;
  }
  return h;
}

// Reads up to `len` bytes from the start of the file; returns how many.
ssize_t ReadHead(int fd, char* buffer, uint64_t len) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = pread(fd, buffer + got, len - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(got);
}

bool WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

Status FingerprintFile(int fd, uint64_t* len, uint64_t* fingerprint) {
  char buffer[kFingerprintBytes];
  ssize_t got = ReadHead(fd, buffer, kFingerprintBytes);
  if (got < 0) return Status::IoError(std::string("read: ") + std::strerror(errno));
  *len = static_cast<uint64_t>(got);
  *fingerprint = Fnv1a(buffer, static_cast<size_t>(got));
  return Status::Ok();
}

bool MatchesFingerprint(int fd, const CheckpointEntry& entry) {
  char buffer[kFingerprintBytes];
  uint64_t len = std::min(entry.fingerprint_len, kFingerprintBytes);
  ssize_t got = ReadHead(fd, buffer, len);
  return got == static_cast<ssize_t>(len) &&
         Fnv1a(buffer, static_cast<size_t>(got)) == entry.fingerprint;
}

Result<std::vector<CheckpointEntry>> LoadCheckpoint(const std::string& path) {
  std::ifstream in(path);
  std::vector<CheckpointEntry> entries;
  if (!in) {
    if (errno == ENOENT) return entries;
    return Errno("cannot read checkpoint", path);
  }
  std::string line;
  uint64_t number = 0;
  bool version1 = false;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      version1 = line == kHeaderVersion1;
      if (line != kHeader && !version1) {
        return Status::Corruption(path + ":1: not a kinesis-put checkpoint (header '" + line +
                                  "')");
      }
      continue;
    }
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string tag;
    CheckpointEntry e;
    fields >> tag >> e.id.dev >> e.id.ino >> e.acked.offset >> e.acked.line >> e.sent.offset >>
        e.sent.line;
    if (!version1) fields >> std::hex >> e.tracker_id >> std::dec >> e.transmitted_acked;
    fields >> e.fingerprint_len >> std::hex >> e.fingerprint >> std::dec;
    if (!fields || tag != "file" || e.fingerprint_len > kFingerprintBytes) {
      return Status::Corruption(path + ":" + std::to_string(number) + ": malformed entry");
    }
    fields.get();  // the space before the path
    std::getline(fields, e.path);
    entries.push_back(std::move(e));
  }
  return entries;
}

Status SaveCheckpoint(const std::string& path, const std::vector<CheckpointEntry>& entries) {
  std::ostringstream text;
  text << kHeader << "\n";
  for (const CheckpointEntry& e : entries) {
    text << "file " << e.id.dev << " " << e.id.ino << " " << e.acked.offset << " " << e.acked.line
         << " " << e.sent.offset << " " << e.sent.line << " " << std::hex << e.tracker_id
         << std::dec << " " << e.transmitted_acked << " " << e.fingerprint_len << " " << std::hex
         << e.fingerprint << std::dec << " " << e.path << "\n";
  }
  std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot write checkpoint", tmp);
  bool ok = WriteAll(fd, text.str()) && fsync(fd) == 0;
  int saved = errno;
  close(fd);
  errno = saved;
  if (!ok) return Errno("cannot write checkpoint", tmp);
  if (rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot rename checkpoint to", path);
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return Status::Ok();
}

}  // namespace kinesis::put
