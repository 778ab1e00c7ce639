#include "monitoring/prometheus_app_text.h"

#include <map>

#include "monitoring/prometheus_text.h"

namespace kinesis::monitoring {
namespace {

// Lower-case snake_case with every character outside [a-z0-9_] as '_'.
std::string Sanitize(std::string_view text) {
  std::string out = SnakeCase(text);
  for (char& c : out) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) c = '_';
  }
  return out;
}

// `{page="/home"` without the closing brace, or "" without dimensions.
std::string Labels(const MetricValue& v) {
  std::string out;
  for (const auto& [name, value] : v.dimensions) {
    std::string label = Sanitize(name);
    if (label.empty() || (label[0] >= '0' && label[0] <= '9') || label.rfind("__", 0) == 0) {
      label = "d_" + label;  // a label may not start with a digit; "__" is Prometheus's own
    }
    out += out.empty() ? "{" : ",";
    out += label;
    out += "=\"";
    AppendLabelValue(out, value);
    out += '"';
  }
  return out;
}

}  // namespace

std::string PrometheusAppName(std::string_view metric, std::string_view unit) {
  std::string name = "kinesis_app_" + Sanitize(metric);
  if (unit == "Count" || unit == "None" || unit.empty()) return name;
  std::string suffix;
  for (char c : unit) {
    if (c == '/') {
      suffix += "_per_";
    } else {
      suffix += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  if (name.size() < suffix.size() + 1 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    name += "_" + suffix;
  }
  return name;
}

void AppendApplicationFamilies(std::string& out, const std::vector<MetricValue>& window,
                               const std::vector<MetricValue>& totals, int window_seconds) {
  std::map<std::string, std::vector<const MetricValue*>> families;  // by family name
  for (const MetricValue& v : totals) {
    if (v.application) families[PrometheusAppName(v.name, v.unit)].push_back(&v);
  }
  std::map<std::string, const MetricValue*> windowed;
  for (const MetricValue& v : window) {
    if (v.application && v.percentiles) windowed.emplace(SeriesKey(v), &v);
  }
  for (const auto& [family, series] : families) {
    const MetricValue& first = *series.front();
    if (!first.percentiles) {
      std::string name = family + "_total";
      AppendHeader(out, name, "counter", "Application counter " + first.name + ", since start");
      for (const MetricValue* v : series) AppendSample(out, name, "", Labels(*v), "", v->sum);
      continue;
    }
    AppendHeader(out, family, "summary",
                 "Application histogram " + first.name + " (" + first.unit +
                     "): quantiles over the last " + std::to_string(window_seconds) +
                     " s, sum and count since start");
    for (const MetricValue* v : series) {
      std::string labels = Labels(*v);
      auto w = windowed.find(SeriesKey(*v));
      if (w != windowed.end()) AppendQuantiles(out, family, labels, *w->second);
      AppendSample(out, family, "_sum", labels, "", v->sum);
      AppendSample(out, family, "_count", labels, "", static_cast<double>(v->count));
    }
  }
}

}  // namespace kinesis::monitoring
