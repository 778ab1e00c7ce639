#include "progress.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

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

namespace {

struct Flow {
  double records = 0, bytes = 0, throttled = 0;
  double kinesis_records = 0, kinesis_bytes = 0;  // what the shard's limits count
  double seconds = 1;
};

// Within 10% of a shard's write limits (1,000 records/s, 1 MiB/s).
bool AtLimit(const Flow& f) {
  return f.kinesis_records / f.seconds >= 900 || f.kinesis_bytes / f.seconds >= 0.9 * 1048576;
}

std::string Rates(const Flow& f) {
  char mb[32];
  std::snprintf(mb, sizeof(mb), "%.1f", f.bytes / f.seconds / 1e6);
  return Grouped(static_cast<uint64_t>(f.records / f.seconds)) + " records/s  " + mb +
         " MB/s  throttled " + Grouped(static_cast<uint64_t>(f.throttled / f.seconds)) + "/s";
}

}  // namespace

std::vector<std::string> StreamLines(const std::vector<MetricValue>& metrics) {
  std::map<std::string, Flow> streams;
  std::map<std::string, std::map<std::string, Flow>> shards;  // by stream, then shard
  for (const MetricValue& v : metrics) {
    auto stream = v.dimensions.find("StreamName");
    if (stream == v.dimensions.end()) continue;
    auto shard = v.dimensions.find("ShardId");
    Flow& f = shard == v.dimensions.end() ? streams[stream->second]
                                          : shards[stream->second][shard->second];
    f.seconds = static_cast<double>(std::max<uint64_t>(v.seconds, 1));
    if (v.name == "UserRecordsPut") f.records = v.sum;
    if (v.name == "UserRecordsDataPut") f.bytes = v.sum;
    if (v.name == "ThrottledRecords") f.throttled = v.sum;
    if (v.name == "KinesisRecordsPut") f.kinesis_records = v.sum;
    if (v.name == "KinesisRecordsDataPut") f.kinesis_bytes = v.sum;
  }
  std::vector<std::string> lines;
  for (const auto& [name, flow] : streams) {
    if (flow.records == 0 && flow.throttled == 0) continue;
    lines.push_back("  stream " + name + "  " + Rates(flow));
    // Busy: throttled, at the shard's limits, or more than twice the share of the shards that
    // carried records.
    const auto& of_stream = shards[name];
    size_t carrying = 0;
    for (const auto& [id, f] : of_stream) carrying += f.records > 0 ? 1 : 0;
    std::vector<std::pair<std::string, Flow>> busy;
    for (const auto& [id, f] : of_stream) {
      double share = flow.records > 0 ? f.records / flow.records : 0;
      bool hot = carrying > 1 && share > 2.0 / static_cast<double>(carrying);
      if (f.throttled > 0 || hot || AtLimit(f)) busy.emplace_back(id, f);
    }
    std::sort(busy.begin(), busy.end(), [](const auto& a, const auto& b) {
      return std::tie(b.second.throttled, b.second.records) <
             std::tie(a.second.throttled, a.second.records);
    });
    if (busy.size() > 3) busy.resize(3);
    for (const auto& [id, f] : busy) {
      double share = flow.records > 0 ? f.records / flow.records : 0;
      bool hot = carrying > 1 && share > 2.0 / static_cast<double>(carrying);
      lines.push_back("    shard " + id + "  " + Rates(f) + "  " +
                      std::to_string(static_cast<int>(share * 100 + 0.5)) + "% of the stream" +
                      (hot ? "  hot" : "") + (AtLimit(f) ? "  at the shard's limit" : ""));
    }
  }
  return lines;
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
  drawn_lines_ = 0;
}

void Progress::Print(const std::string& message) {
  std::lock_guard lock(mu_);
  EraseLocked();
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

void Progress::EraseLocked() {
  // Up to the block's first line, then clear from there to the end of the screen.
  std::string erase;
  for (int i = 1; i < drawn_lines_; ++i) erase += "\033[A";
  if (drawn_lines_ > 0) std::fputs((erase + "\r\033[J").c_str(), stderr);
  drawn_lines_ = 0;
}

void Progress::DrawLocked(double seconds) {
  std::string block = Line(seconds);
  int lines = 1;
  if (metrics_) {
    for (const std::string& line : StreamLines(metrics_())) {
      block += "\n" + line;
      ++lines;
    }
  }
  if (drawn_lines_ > 0) {
    EraseLocked();
  } else {
    std::fputs("\r\033[K", stderr);
  }
  std::fputs(block.c_str(), stderr);
  std::fflush(stderr);
  drawn_lines_ = lines;
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
