#include "pipes.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

namespace kinesis::kpl {
namespace {

Status OpenError(const std::string& path, std::string_view how, int err) {
  return Status::IoError("cannot open " + std::string(how) + " pipe \"" + path +
                         "\": " + std::strerror(err));
}

// Waits up to `timeout_ms` for `fd` to be readable; true when `signal_fd` became readable.
bool Poll(int fd, int signal_fd, int timeout_ms, bool* fd_ready) {
  pollfd p[2] = {{signal_fd, POLLIN, 0}, {fd, POLLIN, 0}};
  int n = ::poll(p, fd >= 0 ? 2 : 1, timeout_ms);
  if (n <= 0) return false;
  if (fd_ready != nullptr) *fd_ready = fd >= 0 && (p[1].revents & POLLIN) != 0;
  return (p[0].revents & POLLIN) != 0;
}

}  // namespace

Result<OpenedPipes> OpenPipes(const std::string& input_path, const std::string& output_path,
                              int signal_fd) {
  int opened_event = ::eventfd(0, EFD_CLOEXEC);
  if (opened_event < 0) return Status::IoError(std::string("eventfd: ") + std::strerror(errno));
  // Written by the opener, read here once its eventfd says so: atomics, because the eventfd's
  // ordering is invisible to the memory model (and to ThreadSanitizer).
  std::atomic<int> input_fd{-1};
  std::atomic<int> input_errno{0};
  std::thread opener([&] {
    int fd;
    do {
      fd = ::open(input_path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    input_errno.store(fd < 0 ? errno : 0, std::memory_order_relaxed);
    input_fd.store(fd, std::memory_order_release);
    uint64_t one = 1;
    [[maybe_unused]] ssize_t ignored = ::write(opened_event, &one, sizeof one);
  });

  OpenedPipes pipes;
  Status failure;
  bool input_done = false;
  // The output gives ENXIO until the Java side has its reading end open; the input's opener
  // returns once the Java side opens its writing end.
  while (failure.ok() && !pipes.interrupted && (pipes.output_fd < 0 || !input_done)) {
    if (pipes.output_fd < 0) {
      int fd = ::open(output_path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd >= 0) {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        pipes.output_fd = fd;
        continue;
      }
      if (errno != ENXIO && errno != EINTR) {
        failure = OpenError(output_path, "output", errno);
        break;
      }
    }
    bool ready = false;
    if (Poll(opened_event, signal_fd, pipes.output_fd < 0 ? 10 : -1, &ready)) {
      pipes.interrupted = true;
    }
    if (ready) {
      input_done = true;
      if (input_fd.load(std::memory_order_acquire) < 0) {
        failure = OpenError(input_path, "input", input_errno.load(std::memory_order_relaxed));
      }
    }
  }
  if (!input_done) {
    // Release the opener: a writer of our own lets its open return. The opener may not have
    // reached open() yet (then ours fails with ENXIO), so try until it reports.
    int unblock = -1;
    bool ready = false;
    while (!ready) {
      if (unblock < 0) unblock = ::open(input_path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      pollfd p{opened_event, POLLIN, 0};
      ready = ::poll(&p, 1, 10) > 0;
    }
    if (unblock >= 0) ::close(unblock);
  }
  opener.join();
  ::close(opened_event);
  if (!failure.ok() || pipes.interrupted) {
    if (int fd = input_fd.load(std::memory_order_acquire); fd >= 0) ::close(fd);
    if (pipes.output_fd >= 0) ::close(pipes.output_fd);
    if (!failure.ok()) return failure;
    return OpenedPipes{-1, -1, true};
  }
  pipes.input_fd = input_fd.load(std::memory_order_acquire);
  return pipes;
}

}  // namespace kinesis::kpl
