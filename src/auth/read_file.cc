#include "auth/read_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kinesis::auth {

constexpr size_t kMaxFileBytes = 1 << 20;

Result<std::string> ReadSmallFile(const std::string& path, std::string_view what) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    std::string message =
        std::string(what) + " '" + path + "' cannot be opened: " + std::strerror(error);
    if (error == ENOENT) return Status::NotFound(std::move(message));
    return Status::IoError(std::move(message));
  }
  std::string data;
  char buffer[8192];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      return Status::IoError(std::string(what) + " '" + path +
                             "' cannot be read: " + std::strerror(error));
    }
    if (n == 0) break;
    data.append(buffer, static_cast<size_t>(n));
    if (data.size() > kMaxFileBytes) {
      ::close(fd);
      return Status::OutOfRange(std::string(what) + " '" + path + "' is larger than " +
                                std::to_string(kMaxFileBytes) + " bytes");
    }
  }
  ::close(fd);
  return data;
}

std::string TrimWhitespace(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(start, end - start + 1));
}

}  // namespace kinesis::auth
