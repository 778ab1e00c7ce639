#include "monitoring/cloudwatch_request.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace kinesis::monitoring {
namespace {

constexpr size_t kMaxDimensions = 30;  // per datum, the service's limit

// Shortest text that reads back as the same double.
std::string Number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  (void)ec;
  return std::string(buf, end);
}

bool Sendable(double v) { return std::isfinite(v); }

void AppendParam(std::string& out, std::string_view prefix, std::string_view name,
                 std::string_view value) {
  out += '&';
  out += prefix;
  out += name;
  out += '=';
  out += FormEncode(value);
}

// One datum's parameters, numbered `index` (1-based) in its body.
std::string EncodeDatum(size_t index, const MetricValue& v,
                        const std::vector<std::pair<std::string, std::string>>& extra,
                        const std::string& timestamp, int storage_resolution) {
  std::string prefix = "MetricData.member." + std::to_string(index) + ".";
  std::string out;
  AppendParam(out, prefix, "MetricName", v.name);
  AppendParam(out, prefix, "Unit", v.unit);
  AppendParam(out, prefix, "StatisticValues.SampleCount", Number(static_cast<double>(v.count)));
  AppendParam(out, prefix, "StatisticValues.Sum", Number(v.sum));
  AppendParam(out, prefix, "StatisticValues.Minimum", Number(v.min));
  AppendParam(out, prefix, "StatisticValues.Maximum", Number(v.max));
  size_t d = 0;
  auto add_dimension = [&](const std::string& name, const std::string& value) {
    std::string dim = prefix + "Dimensions.member." + std::to_string(++d) + ".";
    AppendParam(out, dim, "Name", name);
    AppendParam(out, dim, "Value", value);
  };
  for (const auto& [name, value] : v.dimensions) add_dimension(name, value);
  for (const auto& [name, value] : extra) add_dimension(name, value);
  if (!timestamp.empty()) AppendParam(out, prefix, "Timestamp", timestamp);
  if (storage_resolution > 0) {
    AppendParam(out, prefix, "StorageResolution", std::to_string(storage_resolution));
  }
  return out;
}

}  // namespace

std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Iso8601Seconds(std::chrono::system_clock::time_point t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

PutMetricDataBodies BuildPutMetricDataBodies(
    std::string_view metrics_namespace, const std::vector<MetricValue>& values,
    const std::vector<std::pair<std::string, std::string>>& extra_dimensions,
    const std::chrono::system_clock::time_point* timestamp, int storage_resolution,
    const PutMetricDataLimits& limits) {
  const std::string header =
      "Action=PutMetricData&Version=2010-08-01&Namespace=" + FormEncode(metrics_namespace);
  const std::string stamp = timestamp ? Iso8601Seconds(*timestamp) : std::string();
  PutMetricDataBodies out;
  std::string body = header;
  size_t datums = 0;
  auto flush = [&] {
    if (datums == 0) return;
    out.bodies.push_back(std::move(body));
    out.datums_per_body.push_back(datums);
    body = header;
    datums = 0;
  };
  for (const MetricValue& v : values) {
    if (v.count == 0 || !Sendable(v.sum) || !Sendable(v.min) || !Sendable(v.max) ||
        v.dimensions.size() + extra_dimensions.size() > kMaxDimensions) {
      ++out.dropped;
      continue;
    }
    std::string datum = EncodeDatum(datums + 1, v, extra_dimensions, stamp, storage_resolution);
    if (datums == limits.max_datums || body.size() + datum.size() > limits.max_bytes) {
      // Renumbered: the index is part of the text, and a new body starts at 1.
      std::string first = EncodeDatum(1, v, extra_dimensions, stamp, storage_resolution);
      if (header.size() + first.size() > limits.max_bytes) {
        ++out.dropped;  // would not fit even alone
        continue;
      }
      flush();
      datum = std::move(first);
    }
    body += datum;
    ++datums;
  }
  flush();
  return out;
}

}  // namespace kinesis::monitoring
