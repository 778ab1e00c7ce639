#include "event_counter.h"

#include <algorithm>
#include <vector>

namespace kinesis::put {

EventCounter::EventCounter(Producer& producer, std::string metric, std::string field,
                           std::function<void(const std::string&)> warn)
    : producer_(producer),
      metric_(std::move(metric)),
      field_(std::move(field)),
      warn_(std::move(warn)) {}

void EventCounter::Count(const std::string& value) {
  auto it = counters_.find(value);
  if (it == counters_.end()) {
    Result<AppCounter> counter = producer_.AppMetrics().Counter(metric_, {{field_, value}});
    if (!counter.ok()) {
      // Past the series limit, or a value CloudWatch refuses: the record is sent, not counted.
      if (!warned_) warn_("kinesis-put: not counted: " + counter.status().message());
      warned_ = true;
      return;
    }
    it = counters_.emplace(value, *counter).first;
  }
  it->second.Add();
}

std::string EventCounter::Report(size_t top) const {
  std::vector<std::pair<double, std::string>> counts;
  double total = 0;
  for (const MetricValue& v : producer_.Metrics(std::chrono::seconds(0))) {
    if (!v.application || v.name != metric_) continue;
    auto dimension = v.dimensions.find(field_);
    if (dimension == v.dimensions.end()) continue;
    counts.emplace_back(v.sum, dimension->second);
    total += v.sum;
  }
  if (counts.empty()) return "";
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::string out = metric_ + " by " + field_ + " (application metric, " +
                    std::to_string(static_cast<uint64_t>(total)) + " in " +
                    std::to_string(counts.size()) + " values): ";
  for (size_t i = 0; i < counts.size() && i < top; ++i) {
    if (i > 0) out += ", ";
    out += counts[i].second + "=" + std::to_string(static_cast<uint64_t>(counts[i].first));
  }
  if (counts.size() > top) out += ", ...";
  return out + "\n";
}

}  // namespace kinesis::put
