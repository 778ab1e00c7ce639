#include "monitoring/json_stats.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

#include "common/json_string.h"

namespace kinesis::monitoring {
namespace {

bool IsHistogram(std::string_view name) {
  for (int m = 0; m < static_cast<int>(Metric::kCount); ++m) {
    const MetricInfo& info = InfoOf(static_cast<Metric>(m));
    if (info.name == name) return info.histogram;
  }
  return false;
}

// JSON has no NaN or infinity: null stands for them.
void AppendJsonNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  (void)ec;
  out.append(buf, end);
}

void AppendField(std::string& out, std::string_view key, double v) {
  out += ",\"";
  out += key;
  out += "\":";
  AppendJsonNumber(out, v);
}

void AppendStat(std::string& out, const MetricValue& v) {
  out += "{\"unit\":";
  AppendJsonString(out, v.unit);
  out += ",\"count\":";
  out += std::to_string(v.count);
  AppendField(out, "sum", v.sum);
  AppendField(out, "min", v.min);
  AppendField(out, "max", v.max);
  AppendField(out, "mean", v.mean);
  if (v.percentiles || IsHistogram(v.name)) {
    AppendField(out, "p50", v.p50);
    AppendField(out, "p90", v.p90);
    AppendField(out, "p99", v.p99);
    AppendField(out, "p999", v.p999);
  }
  out += '}';
}

// The metrics of one level (global, a stream, a shard).
struct Level {
  std::vector<const MetricValue*> metrics;
  std::vector<const MetricValue*> errors;  // ErrorsByCode, one per code
};

void AppendLevel(std::string& out, const Level& level) {
  out += "\"metrics\":{";
  bool first = true;
  for (const MetricValue* v : level.metrics) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, v->name);
    out += ':';
    AppendStat(out, *v);
  }
  out += "},\"errors_by_code\":{";
  first = true;
  for (const MetricValue* v : level.errors) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, v->dimensions.at("ErrorCode"));
    out += ':';
    AppendStat(out, *v);
  }
  out += '}';
}

// {"name":"ClickEvents","dimensions":{"Page":"/home"},"unit":"Count","count":1,...} each.
void AppendApplication(std::string& out, const std::vector<const MetricValue*>& values) {
  bool first = true;
  for (const MetricValue* v : values) {
    if (!first) out += ',';
    first = false;
    out += "{\"name\":";
    AppendJsonString(out, v->name);
    out += ",\"dimensions\":{";
    bool first_dimension = true;
    for (const auto& [name, value] : v->dimensions) {
      if (!first_dimension) out += ',';
      first_dimension = false;
      AppendJsonString(out, name);
      out += ':';
      AppendJsonString(out, value);
    }
    out += "},";
    std::string stat;
    AppendStat(stat, *v);
    out.append(stat, 1);  // its fields, after its opening brace
  }
}

}  // namespace

std::string RenderJsonStats(const std::vector<MetricValue>& values, const JsonStatsHeader& header) {
  Level global;
  struct Stream {
    Level level;
    std::map<std::string, Level> shards;
  };
  std::map<std::string, Stream> streams;
  std::vector<const MetricValue*> application;
  for (const MetricValue& v : values) {
    auto stream = v.dimensions.find("StreamName");
    auto shard = v.dimensions.find("ShardId");
    Level* level = &global;
    if (stream != v.dimensions.end()) {
      Stream& s = streams[stream->second];
      level = shard == v.dimensions.end() ? &s.level : &s.shards[shard->second];
    }
    if (v.application) {
      application.push_back(&v);
      continue;
    }
    (v.dimensions.count("ErrorCode") ? level->errors : level->metrics).push_back(&v);
  }
  std::string out = "{\"name\":";
  out.reserve(values.size() * 160 + 256);
  AppendJsonString(out, header.name);
  out += ",\"type\":\"producer\",\"ts_ms\":" + std::to_string(header.ts_ms) +
         ",\"seq\":" + std::to_string(header.seq) +
         ",\"window_s\":" + std::to_string(header.window_s) + ",\"totals\":{";
  // The global level is flattened: "totals" holds its metrics, "errors_by_code" its codes.
  std::string level_text;
  AppendLevel(level_text, global);
  // level_text is "\"metrics\":{...},\"errors_by_code\":{...}"; rename the first key.
  out += level_text.substr(std::string_view("\"metrics\":{").size());
  out += ",\"streams\":{";
  bool first_stream = true;
  for (const auto& [name, stream] : streams) {
    if (!first_stream) out += ',';
    first_stream = false;
    AppendJsonString(out, name);
    out += ":{";
    AppendLevel(out, stream.level);
    out += ",\"shards\":{";
    bool first_shard = true;
    for (const auto& [shard, level] : stream.shards) {
      if (!first_shard) out += ',';
      first_shard = false;
      AppendJsonString(out, shard);
      out += ":{";
      AppendLevel(out, level);
      out += '}';
    }
    out += "}}";
  }
  out += "},\"application\":[";
  AppendApplication(out, application);
  out += "]}";
  return out;
}

Result<std::unique_ptr<JsonStatsReporter>> JsonStatsReporter::Start(const MetricsRegistry& registry,
                                                                    JsonStatsOptions options,
                                                                    Callback callback) {
  if (options.interval.count() < 1) {
    return Status::InvalidArgument("statistics interval " +
                                   std::to_string(options.interval.count()) + " ms is under 1 ms");
  }
  if (options.window.count() < 0 || options.window.count() > MetricsRegistry::kSeconds) {
    return Status::InvalidArgument("statistics window " + std::to_string(options.window.count()) +
                                   " s is outside 0.." + std::to_string(MetricsRegistry::kSeconds));
  }
  if (!callback) return Status::InvalidArgument("statistics reporter needs a callback");
  if (options.window.count() == 0) {
    options.window =
        std::clamp(std::chrono::ceil<std::chrono::seconds>(options.interval),
                   std::chrono::seconds(1), std::chrono::seconds(MetricsRegistry::kSeconds));
  }
  std::unique_ptr<JsonStatsReporter> reporter(
      new JsonStatsReporter(registry, std::move(options), std::move(callback)));
  reporter->thread_ = std::thread([r = reporter.get()] { r->Run(); });
  return reporter;
}

JsonStatsReporter::JsonStatsReporter(const MetricsRegistry& registry, JsonStatsOptions options,
                                     Callback callback)
    : registry_(registry), options_(std::move(options)), callback_(std::move(callback)) {}

JsonStatsReporter::~JsonStatsReporter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string JsonStatsReporter::Snapshot() {
  JsonStatsHeader header;
  header.name = options_.name;
  header.ts_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  header.window_s = static_cast<int>(options_.window.count());
  {
    std::lock_guard lock(mu_);
    header.seq = ++seq_;
  }
  return RenderJsonStats(registry_.Read(options_.window), header);
}

void JsonStatsReporter::Run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, options_.interval, [this] { return stopping_; })) {
    lock.unlock();
    callback_(Snapshot());
    lock.lock();
  }
}

}  // namespace kinesis::monitoring
