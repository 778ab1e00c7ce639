#include "metrics/metrics_registry.h"

#include <algorithm>

namespace kinesis {
namespace {

// Indexed by Metric.
constexpr MetricInfo kInfo[] = {
    {"UserRecordsReceived", "Count", false, false, false},
    {"UserRecordsPending", "Count", false, false, false},
    {"UserRecordsPut", "Count", true, true, false},
    {"UserRecordsDataPut", "Bytes", false, true, false},
    {"KinesisRecordsPut", "Count", true, true, false},
    {"KinesisRecordsDataPut", "Bytes", false, true, false},
    {"ErrorsByCode", "Count", true, true, false},
    {"AllErrors", "Count", true, true, false},
    {"RetriesPerRecord", "Count", false, true, false},
    {"UserRecordExpired", "Count", true, true, false},
    {"BufferingTime", "Milliseconds", true, true, true},
    {"RequestTime", "Milliseconds", false, false, true},
    {"UserRecordsPerKinesisRecord", "Count", false, true, false},
    {"KinesisRecordsPerPutRecordsRequest", "Count", false, false, false},
    {"UserRecordsPerPutRecordsRequest", "Count", false, false, false},
    {"PutLatency", "Milliseconds", false, false, true},
    {"ThrottledRecords", "Count", false, true, false},
    {"DuplicatesSent", "Count", false, false, false},
    {"QueueFullEvents", "Count", false, false, false},
    {"BufferBytes", "Bytes", false, false, false},
    {"InFlightRequests", "Count", false, false, false},
    {"CredentialRefreshes", "Count", false, false, false},
    {"CallbackErrors", "Count", true, false, false},
    {"LogEventsDropped", "Count", true, false, false},
};
static_assert(std::size(kInfo) == static_cast<size_t>(Metric::kCount));

int64_t SteadySeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

const MetricInfo& InfoOf(Metric m) { return kInfo[static_cast<int>(m)]; }

MetricsRegistry::MetricsRegistry(MetricsLevel level, MetricsGranularity granularity)
    : level_(level),
      granularity_(granularity),
      now_seconds_(SteadySeconds),
      start_second_(SteadySeconds()) {}

void MetricsRegistry::SetClockForTesting(std::function<int64_t()> now_seconds) {
  std::lock_guard lock(mu_);
  now_seconds_ = std::move(now_seconds);
  start_second_ = now_seconds_();
}

bool MetricsRegistry::Enabled(Metric m) const {
  switch (level_) {
    case MetricsLevel::kNone:
      return false;
    case MetricsLevel::kSummary:
      return InfoOf(m).summary;
    case MetricsLevel::kDetailed:
      return true;
  }
  return false;
}

MetricsRegistry::Series& MetricsRegistry::Find(Metric m, std::string_view stream,
                                               std::string_view shard, std::string_view code) {
  // Built in a buffer kept between calls: no allocation once it has grown.
  std::string& key = key_buffer_;
  key.assign(InfoOf(m).name);
  key += '\0';
  key += stream;
  key += '\0';
  key += shard;
  key += '\0';
  key += code;
  auto it = series_.find(key);
  if (it == series_.end()) {
    auto series = std::make_unique<Series>();
    series->name = InfoOf(m).name;
    series->unit = InfoOf(m).unit;
    if (!stream.empty()) series->dimensions["StreamName"] = std::string(stream);
    if (!shard.empty()) series->dimensions["ShardId"] = std::string(shard);
    if (!code.empty()) series->dimensions["ErrorCode"] = std::string(code);
    series->slots.resize(kSeconds);
    if (InfoOf(m).histogram) series->histograms.resize(kSeconds / kHistogramSlotSeconds + 1);
    it = series_.emplace(key, std::move(series)).first;
  }
  return *it->second;
}

MetricsRegistry::Series* MetricsRegistry::NewApplicationSeries(
    std::string_view name, std::string_view unit,
    const std::map<std::string, std::string>& dimensions, bool histogram) {
  auto series = std::make_unique<Series>();
  series->application = true;
  series->application_name = std::string(name);
  series->application_unit = std::string(unit);
  series->name = series->application_name;
  series->unit = series->application_unit;
  series->dimensions = dimensions;
  series->slots.resize(kSeconds);
  if (histogram) series->histograms.resize(kSeconds / kHistogramSlotSeconds + 1);
  std::lock_guard lock(mu_);
  // Apart from the producer's keys (which start with a metric's name): a leading \x01 and a
  // number of its own, as the caller vouches for the set's uniqueness.
  std::string key = "\x01" + std::to_string(application_series_++);
  return series_.emplace(std::move(key), std::move(series)).first->second.get();
}

void MetricsRegistry::RecordApplication(Series& series, double value, uint64_t count) {
  if (count == 0) return;
  std::lock_guard lock(mu_);
  Add(series, now_seconds_(), value, count);
}

void MetricsRegistry::AddTo(Slot& slot, uint64_t count, double sum, double min, double max) {
  slot.count += count;
  slot.sum += sum;
  slot.min = std::min(slot.min, min);
  slot.max = std::max(slot.max, max);
}

void MetricsRegistry::AddStats(Series& series, int64_t second, uint64_t count, double sum,
                               double min, double max) {
  Slot& slot = series.slots[static_cast<size_t>(second % kSeconds)];
  if (slot.second != second) slot = Slot{second, 0, 0, min, max};
  AddTo(slot, count, sum, min, max);
  if (series.total.count == 0) series.total = Slot{second, 0, 0, min, max};
  AddTo(series.total, count, sum, min, max);
}

void MetricsRegistry::Add(Series& series, int64_t second, double value, uint64_t count) {
  AddStats(series, second, count, value * static_cast<double>(count), value, value);
  if (Histogram* h = HistogramOf(series, second)) {
    h->Add(static_cast<uint64_t>(std::max(0.0, value)), static_cast<uint32_t>(count));
  }
}

Histogram* MetricsRegistry::HistogramOf(Series& series, int64_t second) {
  if (series.histograms.empty()) return nullptr;
  int64_t start = second - second % kHistogramSlotSeconds;
  HistogramSlot& h = series.histograms[static_cast<size_t>(start / kHistogramSlotSeconds) %
                                       series.histograms.size()];
  if (h.start != start) {
    h.start = start;
    h.histogram.Clear();
  }
  return &h.histogram;
}

void MetricsRegistry::Record(Metric m, std::string_view stream, std::string_view shard,
                             double value, uint64_t count, std::string_view code) {
  if (!Enabled(m) || count == 0) return;
  std::lock_guard lock(mu_);
  RecordLocked(m, stream, shard, value, count, code, now_seconds_());
}

void MetricsRegistry::RecordStats(Metric m, std::string_view stream, std::string_view shard,
                                  uint64_t count, double sum, double min, double max) {
  if (!Enabled(m) || count == 0) return;
  std::lock_guard lock(mu_);
  int64_t second = now_seconds_();
  AddStats(Find(m, {}, {}, {}), second, count, sum, min, max);
  if (granularity_ == MetricsGranularity::kGlobal || stream.empty()) return;
  AddStats(Find(m, stream, {}, {}), second, count, sum, min, max);
  if (granularity_ == MetricsGranularity::kShard && InfoOf(m).shard_level && !shard.empty()) {
    AddStats(Find(m, stream, shard, {}), second, count, sum, min, max);
  }
}

void MetricsRegistry::RecordValues(Metric m, std::string_view stream, std::string_view shard,
                                   const std::vector<double>& values) {
  if (!Enabled(m) || values.empty()) return;
  std::lock_guard lock(mu_);
  int64_t second = now_seconds_();
  std::vector<Series*> targets = {&Find(m, {}, {}, {})};
  if (granularity_ != MetricsGranularity::kGlobal && !stream.empty()) {
    targets.push_back(&Find(m, stream, {}, {}));
    if (granularity_ == MetricsGranularity::kShard && InfoOf(m).shard_level && !shard.empty()) {
      targets.push_back(&Find(m, stream, shard, {}));
    }
  }
  for (Series* series : targets) AddAll(*series, second, values);
}

void MetricsRegistry::AddAll(Series& series, int64_t second, const std::vector<double>& values) {
  // Add() for each value, with the second's slot and histogram found once: the engine records
  // two of these per user record.
  Slot& slot = series.slots[static_cast<size_t>(second % kSeconds)];
  if (slot.second != second) slot = Slot{second, 0, 0, values.front(), values.front()};
  double sum = 0, low = slot.min, high = slot.max;
  for (double v : values) {
    sum += v;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  slot.count += values.size();
  slot.sum += sum;
  slot.min = low;
  slot.max = high;
  if (series.total.count == 0) series.total = Slot{second, 0, 0, low, high};
  AddTo(series.total, values.size(), sum, low, high);
  if (Histogram* h = HistogramOf(series, second)) {
    for (double v : values) h->Add(static_cast<uint64_t>(std::max(0.0, v)), 1);
  }
}

void MetricsRegistry::RecordBatch(const std::vector<Observation>& batch) {
  if (batch.empty() || level_ == MetricsLevel::kNone) return;
  std::lock_guard lock(mu_);
  int64_t second = now_seconds_();
  for (const Observation& o : batch) {
    if (!Enabled(o.metric) || o.count == 0) continue;
    RecordLocked(o.metric, o.stream ? std::string_view(*o.stream) : std::string_view(), o.shard,
                 o.value, o.count, o.code, second);
  }
}

void MetricsRegistry::RecordLocked(Metric m, std::string_view stream, std::string_view shard,
                                   double value, uint64_t count, std::string_view code,
                                   int64_t second) {
  Add(Find(m, {}, {}, code), second, value, count);
  // ErrorsByCode also without ErrorCode, as the KPL's root series of the metric.
  if (!code.empty()) Add(Find(m, {}, {}, {}), second, value, count);
  if (granularity_ == MetricsGranularity::kGlobal || stream.empty()) return;
  Add(Find(m, stream, {}, code), second, value, count);
  if (granularity_ == MetricsGranularity::kShard && InfoOf(m).shard_level && !shard.empty()) {
    Add(Find(m, stream, shard, code), second, value, count);
  }
}

int64_t MetricsRegistry::NowSeconds() const {
  std::lock_guard lock(mu_);
  return now_seconds_();
}

std::vector<MetricValue> MetricsRegistry::Read(std::chrono::seconds window) const {
  if (window.count() == 0) return ReadTotals();
  int64_t now = NowSeconds();
  int64_t seconds = std::clamp<int64_t>(window.count(), 1, kSeconds);
  return ReadSeconds(now - seconds + 1, now);
}

std::vector<MetricValue> MetricsRegistry::ReadSeconds(int64_t first, int64_t now) const {
  std::lock_guard lock(mu_);
  first = std::max(first, now - kSeconds + 1);
  std::vector<MetricValue> out;
  for (const auto& [key, series] : series_) {
    MetricValue v;
    for (const Slot& slot : series->slots) {
      if (slot.second < first || slot.second > now || slot.count == 0) continue;
      v.min = v.count == 0 ? slot.min : std::min(v.min, slot.min);
      v.max = v.count == 0 ? slot.max : std::max(v.max, slot.max);
      v.count += slot.count;
      v.sum += slot.sum;
    }
    if (v.count == 0) continue;
    v.seconds = static_cast<uint64_t>(now - first + 1);
    v.name = std::string(series->name);
    v.unit = std::string(series->unit);
    v.application = series->application;
    v.percentiles = !series->histograms.empty();
    v.dimensions = series->dimensions;
    v.mean = v.sum / static_cast<double>(v.count);
    if (!series->histograms.empty()) {
      Histogram merged;
      for (const HistogramSlot& h : series->histograms) {
        // Whole 10-second slots that overlap the window.
        if (h.start >= 0 && h.start + kHistogramSlotSeconds > first && h.start <= now) {
          merged.Merge(h.histogram);
        }
      }
      v.p50 = merged.Quantile(0.5);
      v.p90 = merged.Quantile(0.9);
      v.p99 = merged.Quantile(0.99);
      v.p999 = merged.Quantile(0.999);
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<MetricValue> MetricsRegistry::ReadTotals() const {
  std::lock_guard lock(mu_);
  const uint64_t seconds =
      static_cast<uint64_t>(std::max<int64_t>(1, now_seconds_() - start_second_));
  std::vector<MetricValue> out;
  for (const auto& [key, series] : series_) {
    const Slot& total = series->total;
    if (total.count == 0) continue;
    MetricValue v;
    v.name = std::string(series->name);
    v.unit = std::string(series->unit);
    v.application = series->application;
    v.percentiles = !series->histograms.empty();
    v.dimensions = series->dimensions;
    v.count = total.count;
    v.sum = total.sum;
    v.min = total.min;
    v.max = total.max;
    v.mean = total.sum / static_cast<double>(total.count);
    v.seconds = seconds;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace kinesis
