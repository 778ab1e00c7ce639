#include "progress.h"

#include <cstdio>

namespace kinesis::put {

std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

Progress::Progress(bool enabled, const RunStats& stats, std::function<uint64_t()> in_flight)
    : enabled_(enabled), stats_(stats), in_flight_(std::move(in_flight)) {}

Progress::~Progress() { Stop(); }

void Progress::Start() {
  if (!enabled_ || thread_.joinable()) return;
  last_tick_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { Run(); });
}

void Progress::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  DrawLocked(std::chrono::duration<double>(std::chrono::steady_clock::now() - last_tick_).count());
  std::fputs("\n", stderr);
  drawn_ = false;
}

void Progress::Print(const std::string& message) {
  std::lock_guard lock(mu_);
  if (drawn_) std::fputs("\r\033[K", stderr);
  drawn_ = false;
  std::fprintf(stderr, "%s\n", message.c_str());
}

void Progress::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(500));
    if (stop_) break;
    DrawLocked(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - last_tick_).count());
  }
}

void Progress::DrawLocked(double seconds) {
  std::string line = Line(seconds);
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
  last_tick_ = std::chrono::steady_clock::now();
}

std::string Progress::Line(double seconds) {
  uint64_t ok = stats_.succeeded.load(std::memory_order_relaxed);
  uint64_t bytes = stats_.bytes_succeeded.load(std::memory_order_relaxed);
  double rate = seconds > 0 ? static_cast<double>(ok - last_ok_) / seconds : 0;
  double mbps = seconds > 0 ? static_cast<double>(bytes - last_bytes_) / seconds / 1e6 : 0;
  last_ok_ = ok;
  last_bytes_ = bytes;
  uint64_t errors = stats_.failed.load(std::memory_order_relaxed) +
                    stats_.bad_input.load(std::memory_order_relaxed);
  char mb[32];
  std::snprintf(mb, sizeof(mb), "%.1f", mbps);
  return "kinesis-put  " + Grouped(stats_.records_read.load(std::memory_order_relaxed)) +
         " read  " + Grouped(ok) + " ok  " + Grouped(static_cast<uint64_t>(rate)) + " records/s  " +
         mb + " MB/s  in flight " + Grouped(in_flight_()) + "  retries " +
         Grouped(stats_.retries.load(std::memory_order_relaxed)) + "  throttled " +
         Grouped(stats_.throttled.load(std::memory_order_relaxed)) + "  errors " + Grouped(errors);
}

}  // namespace kinesis::put
