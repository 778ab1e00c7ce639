// OutputChannel: the daemon's messages to the Java side (PutRecordResult, MetricsResponse),
// written to the output pipe by one writer thread. Producers of messages append whole frames
// to a shared buffer; the writer takes everything there is in one swap, so many results leave
// in one write(2) under load.
//
// Thread safety: Append may be called from any thread (the producer's callback thread, the
// reader). Close from the owning thread only, once.
#ifndef KINESIS_TOOLS_KPL_DAEMON_OUTPUT_CHANNEL_H_
#define KINESIS_TOOLS_KPL_DAEMON_OUTPUT_CHANNEL_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace kinesis::kpl {

class OutputChannel {
 public:
  // Takes ownership of `fd` (made non-blocking) and starts the writer thread.
  explicit OutputChannel(int fd);
  ~OutputChannel();  // Close(0) if not closed
  OutputChannel(const OutputChannel&) = delete;
  OutputChannel& operator=(const OutputChannel&) = delete;

  // Calls `fill(buffer)` (a callable taking std::string&) under the lock to append whole
  // frames. After the pipe broke (the reader went away) or Close, the bytes are dropped.
  template <typename Fill>
  void Append(Fill&& fill) {
    std::lock_guard<std::mutex> lock(mu_);
    if (broken_ || closing_) {
      std::string ignored;
      fill(ignored);
      dropped_ += ignored.size();
      return;
    }
    bool was_empty = pending_.empty();
    fill(pending_);
    if (was_empty) cv_.notify_one();  // the writer waits only when nothing is pending
  }

  // Writes what is buffered for up to `deadline`, then closes the pipe and joins the writer.
  // Returns the bytes left unwritten (0 when everything reached the pipe).
  uint64_t Close(std::chrono::milliseconds deadline);

  uint64_t bytes_written() const;

 private:
  void Run();
  bool WriteAll(const std::string& bytes);  // false once the pipe broke or the deadline passed

  const int fd_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string pending_;   // guarded by mu_
  bool closing_ = false;  // guarded by mu_
  bool broken_ = false;   // guarded by mu_
  uint64_t dropped_ = 0;  // guarded by mu_
  uint64_t written_ = 0;  // guarded by mu_
  std::chrono::steady_clock::time_point deadline_ =
      std::chrono::steady_clock::time_point::max();  // guarded by mu_
  std::thread writer_;
};

}  // namespace kinesis::kpl

#endif  // KINESIS_TOOLS_KPL_DAEMON_OUTPUT_CHANNEL_H_
