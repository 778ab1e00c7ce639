#include "monitoring/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "monitoring/prometheus_app_text.h"

namespace kinesis::monitoring {
namespace {

enum class Kind { kLatency, kDistribution, kLevel, kEvents };

Kind KindOf(std::string_view name) {
  if (name == "BufferingTime" || name == "RequestTime" || name == "PutLatency") {
    return Kind::kLatency;
  }
  if (name == "RetriesPerRecord" || name == "UserRecordsPerKinesisRecord" ||
      name == "KinesisRecordsPerPutRecordsRequest" || name == "UserRecordsPerPutRecordsRequest") {
    return Kind::kDistribution;
  }
  if (name == "UserRecordsPending" || name == "BufferBytes" || name == "InFlightRequests") {
    return Kind::kLevel;
  }
  return Kind::kEvents;
}

// `{stream="s",shard="x",error_code="c"` without the closing brace, or "" when unlabelled.
std::string Labels(const MetricValue& v) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"StreamName", "stream"}, {"ShardId", "shard"}, {"ErrorCode", "error_code"}};
  std::string out;
  for (const auto& [dimension, label] : kLabels) {
    auto it = v.dimensions.find(std::string(dimension));
    if (it == v.dimensions.end()) continue;
    out += out.empty() ? "{" : ",";
    out += label;
    out += "=\"";
    AppendLabelValue(out, it->second);
    out += '"';
  }
  return out;
}

// One family: `series` are the totals since start (counters, the summaries' _sum and _count)
// or, for levels, the window's values; `windowed` the window's values by SeriesKey (quantiles).
void AppendFamily(std::string& out, const std::vector<const MetricValue*>& series,
                  const std::map<std::string, const MetricValue*>& windowed, int window_seconds) {
  const MetricValue& first = *series.front();
  std::string name = PrometheusName(first.name, first.unit);
  Kind kind = KindOf(first.name);
  std::string window = std::to_string(window_seconds) + " s";
  switch (kind) {
    case Kind::kLatency:
      AppendHeader(out, name, "summary",
                   "KPL " + first.name + ": quantiles over the last " + window +
                       ", sum and count since start");
      break;
    case Kind::kDistribution:
      AppendHeader(out, name, "summary", "KPL " + first.name + ", since start");
      break;
    case Kind::kLevel:
      AppendHeader(out, name, "gauge", "KPL " + first.name + ", mean over the last " + window);
      break;
    case Kind::kEvents:
      name += "_total";
      AppendHeader(out, name, "counter", "KPL " + first.name + ", since start");
      break;
  }
  for (const MetricValue* v : series) {
    std::string labels = Labels(*v);
    if (kind == Kind::kLatency) {
      auto w = windowed.find(SeriesKey(*v));
      if (w != windowed.end()) AppendQuantiles(out, name, labels, *w->second);
    }
    if (kind == Kind::kLatency || kind == Kind::kDistribution) {
      AppendSample(out, name, "_sum", labels, "", v->sum);
      AppendSample(out, name, "_count", labels, "", static_cast<double>(v->count));
    } else {
      AppendSample(out, name, "", labels, "", kind == Kind::kLevel ? v->mean : v->sum);
    }
  }
}

}  // namespace

std::string SeriesKey(const MetricValue& v) {
  std::string key = v.name;
  for (const auto& [k, val] : v.dimensions) key += "\n" + k + "=" + val;
  return key;
}

void AppendNumber(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    (void)ec;
    out.append(buf, end);
  }
}

void AppendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void AppendQuantiles(std::string& out, std::string_view name, const std::string& labels,
                     const MetricValue& window) {
  AppendSample(out, name, "", labels, "quantile=\"0.5\"", window.p50);
  AppendSample(out, name, "", labels, "quantile=\"0.9\"", window.p90);
  AppendSample(out, name, "", labels, "quantile=\"0.99\"", window.p99);
  AppendSample(out, name, "", labels, "quantile=\"0.999\"", window.p999);
}

void AppendSample(std::string& out, std::string_view name, std::string_view suffix,
                  const std::string& labels, std::string_view extra_label, double value) {
  out += name;
  out += suffix;
  if (!labels.empty() || !extra_label.empty()) {
    out += labels.empty() ? "{" : labels;
    if (!extra_label.empty()) {
      if (!labels.empty()) out += ',';
      out += extra_label;
    }
    out += '}';
  }
  out += ' ';
  AppendNumber(out, value);
  out += '\n';
}

void AppendHeader(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

std::string SnakeCase(std::string_view camel) {
  std::string out;
  for (size_t i = 0; i < camel.size(); ++i) {
    char c = camel[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 0) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

std::string PrometheusName(std::string_view metric, std::string_view unit) {
  std::string name = "kinesis_producer_" + SnakeCase(metric);
  auto ends_with = [&](std::string_view s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  if (unit == "Milliseconds" && !ends_with("_milliseconds")) name += "_milliseconds";
  if (unit == "Bytes" && !ends_with("_bytes")) name += "_bytes";
  return name;
}

PrometheusRender RenderPrometheus(const std::vector<MetricValue>& values, int window_seconds,
                                  size_t max_series, uint64_t folded_before) {
  return RenderPrometheus(values, values, window_seconds, max_series, folded_before);
}

PrometheusRender RenderPrometheus(const std::vector<MetricValue>& window,
                                  const std::vector<MetricValue>& totals, int window_seconds,
                                  size_t max_series, uint64_t folded_before) {
  // Levels come from the window, everything else from the totals.
  std::vector<const MetricValue*> chosen;
  // The application's metrics have families of their own (AppendApplicationFamilies).
  for (const MetricValue& v : totals) {
    if (!v.application && KindOf(v.name) != Kind::kLevel) chosen.push_back(&v);
  }
  std::map<std::string, const MetricValue*> windowed;
  for (const MetricValue& v : window) {
    if (v.application) continue;
    if (KindOf(v.name) == Kind::kLevel) chosen.push_back(&v);
    if (KindOf(v.name) == Kind::kLatency) windowed.emplace(SeriesKey(v), &v);
  }
  // Which shards fit: unsharded series first, then whole shards in (stream, shard) order.
  size_t unsharded = 0;
  std::map<std::pair<std::string, std::string>, size_t> per_shard;
  for (const MetricValue* p : chosen) {
    const MetricValue& v = *p;
    auto shard = v.dimensions.find("ShardId");
    if (shard == v.dimensions.end()) {
      ++unsharded;
      continue;
    }
    auto stream = v.dimensions.find("StreamName");
    ++per_shard[{stream == v.dimensions.end() ? std::string() : stream->second, shard->second}];
  }
  PrometheusRender out;
  std::set<std::pair<std::string, std::string>> kept;
  size_t used = unsharded;
  for (const auto& [shard, count] : per_shard) {
    if (used + count <= max_series) {
      used += count;
      kept.insert(shard);
    } else {
      out.folded_series += count;
    }
  }

  std::map<std::string, std::vector<const MetricValue*>> families;  // by metric name
  for (const MetricValue* p : chosen) {
    const MetricValue& v = *p;
    auto shard = v.dimensions.find("ShardId");
    if (shard != v.dimensions.end()) {
      auto stream = v.dimensions.find("StreamName");
      if (!kept.count(
              {stream == v.dimensions.end() ? std::string() : stream->second, shard->second})) {
        continue;
      }
    }
    families[v.name].push_back(&v);
  }
  out.text.reserve(chosen.size() * 120 + 512);
  for (const auto& [name, series] : families) {
    AppendFamily(out.text, series, windowed, window_seconds);
  }
  AppendApplicationFamilies(out.text, window, totals, window_seconds);

  AppendHeader(out.text, "kinesis_producer_series_folded", "gauge",
               "Shard series left out of this scrape by the series cap (their stream-level "
               "series include them)");
  AppendSample(out.text, "kinesis_producer_series_folded", "", "", "",
               static_cast<double>(out.folded_series));
  AppendHeader(out.text, "kinesis_producer_series_folded_total", "counter",
               "Shard series left out by the series cap, over every scrape");
  AppendSample(out.text, "kinesis_producer_series_folded_total", "", "", "",
               static_cast<double>(folded_before + out.folded_series));
  AppendHeader(out.text, "kinesis_producer_metrics_window_seconds", "gauge",
               "The window the other values are computed over");
  AppendSample(out.text, "kinesis_producer_metrics_window_seconds", "", "", "", window_seconds);
  return out;
}

}  // namespace kinesis::monitoring
