#include "metrics/app_metrics.h"

#include <charconv>
#include <cmath>

namespace kinesis {
namespace {

// CloudWatch's StandardUnit values, each between bars.
constexpr std::string_view kUnits =
    "|Seconds|Microseconds|Milliseconds|Bytes|Kilobytes|Megabytes|Gigabytes|Terabytes|Bits|"
    "Kilobits|Megabits|Gigabits|Terabits|Percent|Count|Bytes/Second|Kilobytes/Second|"
    "Megabytes/Second|Gigabytes/Second|Terabytes/Second|Bits/Second|Kilobits/Second|"
    "Megabits/Second|Gigabits/Second|Terabits/Second|Count/Second|None|";

Status CheckLength(std::string_view what, std::string_view text, size_t limit) {
  if (text.empty()) return Status::InvalidArgument(std::string(what) + " is empty");
  if (text.size() > limit) {
    return Status::InvalidArgument(std::string(what) + " '" + std::string(text.substr(0, 40)) +
                                   "...' has " + std::to_string(text.size()) +
                                   " characters; at most " + std::to_string(limit) +
                                   " (CloudWatch's limit)");
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Status::InvalidArgument(std::string(what) + " '" + std::string(text) +
                                     "' has a control character");
    }
  }
  return Status::Ok();
}

std::string SeriesName(std::string_view name, const std::map<std::string, std::string>& dims) {
  std::string out(name);
  if (dims.empty()) return out;
  out += '{';
  bool first = true;
  for (const auto& [k, v] : dims) {
    if (!first) out += ',';
    first = false;
    out += k + "=" + v;
  }
  out += '}';
  return out;
}

std::string Number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  (void)ec;
  return std::string(buf, end);
}

}  // namespace

void AppCounter::Add(uint64_t n) const {
  if (series_ != nullptr) series_->Record(static_cast<double>(n), 1);
}

Status AppHistogram::Record(double value) const {
  if (!std::isfinite(value) || value < 0) {
    return Status::InvalidArgument("histogram value " + Number(value) +
                                   " is not a finite number of at least 0");
  }
  if (series_ != nullptr) series_->Record(value, 1);
  return Status::Ok();
}

AppMetricsRegistry::AppMetricsRegistry(MetricsRegistry& registry, size_t max_series,
                                       size_t extra_dimensions)
    : registry_(registry), max_series_(max_series), extra_dimensions_(extra_dimensions) {}

Result<AppCounter> AppMetricsRegistry::Counter(std::string_view name,
                                               const MetricDimensions& dimensions) {
  auto series = Find(name, dimensions, false, "Count");
  if (!series.ok()) return series.status();
  return (*series)->counter();
}

Result<AppHistogram> AppMetricsRegistry::Histogram(std::string_view name,
                                                   const MetricDimensions& dimensions,
                                                   std::string_view unit) {
  if (unit.empty() || unit.find('|') != std::string_view::npos ||
      kUnits.find("|" + std::string(unit) + "|") == std::string_view::npos) {
    return Status::InvalidArgument("histogram " + std::string(name) + " has unit '" +
                                   std::string(unit) +
                                   "'; expected one of CloudWatch's units (Milliseconds, "
                                   "Microseconds, Seconds, Bytes, Count, Percent, None, ...)");
  }
  auto series = Find(name, dimensions, true, unit);
  if (!series.ok()) return series.status();
  return (*series)->histogram();
}

Status AppMetricsRegistry::Check(std::string_view name, const MetricDimensions& dimensions) const {
  KINESIS_RETURN_IF_ERROR(CheckLength("application metric name", name, kMaxNameLength));
  for (int m = 0; m < static_cast<int>(Metric::kCount); ++m) {
    if (InfoOf(static_cast<Metric>(m)).name == name) {
      return Status::InvalidArgument("application metric name '" + std::string(name) +
                                     "' is the producer's own metric's; choose another");
    }
  }
  if (dimensions.size() + extra_dimensions_ > kMaxDimensions) {
    return Status::InvalidArgument("application metric " + std::string(name) + " has " +
                                   std::to_string(dimensions.size() + extra_dimensions_) +
                                   " dimensions; at most " + std::to_string(kMaxDimensions) +
                                   " (CloudWatch's limit, AdditionalMetricsDimensions' " +
                                   std::to_string(extra_dimensions_) + " included)");
  }
  for (const auto& [key, value] : dimensions) {
    KINESIS_RETURN_IF_ERROR(CheckLength("dimension name", key, kMaxNameLength));
    if (key.front() == ':') {
      return Status::InvalidArgument("dimension name '" + key +
                                     "' starts with ':', which CloudWatch refuses");
    }
    KINESIS_RETURN_IF_ERROR(
        CheckLength("value of dimension " + key.substr(0, 40), value, kMaxValueLength));
  }
  return Status::Ok();
}

Result<internal::AppSeries*> AppMetricsRegistry::Find(std::string_view name,
                                                      const MetricDimensions& dimensions,
                                                      bool histogram, std::string_view unit) {
  KINESIS_RETURN_IF_ERROR(Check(name, dimensions));
  std::map<std::string, std::string> dims;
  for (const auto& [key, value] : dimensions) {
    if (!dims.emplace(key, value).second) {
      return Status::InvalidArgument("application metric " + std::string(name) +
                                     " names dimension '" + key + "' twice");
    }
  }
  std::string key = SeriesName(name, dims);
  std::lock_guard lock(mu_);
  auto kind = kinds_.find(name);
  if (kind != kinds_.end() && (kind->second.histogram != histogram || kind->second.unit != unit)) {
    return Status::InvalidArgument(
        "application metric " + std::string(name) + " is already a " +
        (kind->second.histogram ? "histogram" : "counter") + " in " + kind->second.unit +
        "; asked for a " + (histogram ? "histogram" : "counter") + " in " + std::string(unit));
  }
  auto it = series_.find(key);
  if (it != series_.end()) return it->second.get();
  if (series_.size() >= max_series_) {
    return Status::ResourceExhausted(
        "application metric " + key + " would be distinct series " +
        std::to_string(series_.size() + 1) + "; AppMetricsMaxSeries is " +
        std::to_string(max_series_) +
        " (dimension values must come from a small set: pages, event types, not user ids)");
  }
  if (kind == kinds_.end()) kinds_.emplace(std::string(name), Kind{histogram, std::string(unit)});
  MetricsRegistry::Series* series = registry_.NewApplicationSeries(name, unit, dims, histogram);
  auto made = std::make_unique<internal::AppSeries>(registry_, *series);
  return series_.emplace(std::move(key), std::move(made)).first->second.get();
}

}  // namespace kinesis
