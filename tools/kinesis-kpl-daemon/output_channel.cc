#include "output_channel.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kpl_log.h"

namespace kinesis::kpl {

OutputChannel::OutputChannel(int fd) : fd_(fd) {
  int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  writer_ = std::thread([this] { Run(); });
}

OutputChannel::~OutputChannel() {
  if (writer_.joinable()) Close(std::chrono::milliseconds(0));
}

uint64_t OutputChannel::Close(std::chrono::milliseconds deadline) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
    deadline_ = std::chrono::steady_clock::now() + deadline;
  }
  cv_.notify_one();
  writer_.join();
  ::close(fd_);
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_ + pending_.size();
}

uint64_t OutputChannel::bytes_written() const {
  std::lock_guard<std::mutex> lock(mu_);
  return written_;
}

void OutputChannel::Run() {
  std::string batch;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return !pending_.empty() || closing_; });
    if (pending_.empty()) return;  // closing with nothing left
    batch.clear();
    batch.swap(pending_);
    lock.unlock();
    bool ok = WriteAll(batch);
    lock.lock();
    if (!ok) {
      dropped_ += pending_.size();
      pending_.clear();
      broken_ = true;
      return;
    }
  }
}

bool OutputChannel::WriteAll(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
      std::lock_guard<std::mutex> lock(mu_);
      written_ += static_cast<uint64_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      KplLog(LogLevel::kError, std::string("output pipe: write failed (") + std::strerror(errno) +
                                   "); results from now on are dropped");
      std::lock_guard<std::mutex> lock(mu_);
      dropped_ += bytes.size() - done;
      return false;
    }
    // The Java side is not reading yet: wait, but not past the closing deadline.
    std::chrono::steady_clock::time_point deadline;
    {
      std::lock_guard<std::mutex> lock(mu_);
      deadline = deadline_;
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      KplLog(LogLevel::kWarning,
             "output pipe: the reader took nothing before the closing "
             "deadline; " +
                 std::to_string(bytes.size() - done) + " bytes of results dropped");
      std::lock_guard<std::mutex> lock(mu_);
      dropped_ += bytes.size() - done;
      return false;
    }
    int wait_ms = 100;
    if (deadline != std::chrono::steady_clock::time_point::max()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
      wait_ms = static_cast<int>(std::min<int64_t>(left + 1, 100));
    }
    pollfd p{fd_, POLLOUT, 0};
    ::poll(&p, 1, wait_ms);
  }
  return true;
}

}  // namespace kinesis::kpl
