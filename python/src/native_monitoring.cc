// NativeProducer's monitoring: application metrics, the application's log lines and the
// effective configuration, through kinesis/c/monitoring.h.
#include <string>
#include <vector>

#include "kinesis/c/monitoring.h"
#include "native_producer.h"

namespace kinesis::python {
namespace {

void CheckStatus(kinesis_status status) {
  if (status != KINESIS_OK) RaiseLastError();
}

std::vector<kinesis_dimension> Pairs(const MetricDimensionList& pairs) {
  std::vector<kinesis_dimension> out;
  out.reserve(pairs.size());
  for (const auto& [name, value] : pairs) out.push_back({name.c_str(), value.c_str()});
  return out;
}

}  // namespace

void NativeProducer::CounterAdd(const std::string& name, const MetricDimensionList& dimensions,
                                uint64_t n) {
  std::vector<kinesis_dimension> dims = Pairs(dimensions);
  CheckStatus(kinesis_producer_counter_add(producer_, name.c_str(), dims.data(), dims.size(), n));
}

void NativeProducer::HistogramRecord(const std::string& name, const MetricDimensionList& dimensions,
                                     const std::string& unit, double value) {
  std::vector<kinesis_dimension> dims = Pairs(dimensions);
  CheckStatus(kinesis_producer_histogram_record(producer_, name.c_str(), dims.data(), dims.size(),
                                                unit.c_str(), value));
}

void NativeProducer::Log(int level, const std::string& message, const MetricDimensionList& fields) {
  std::vector<kinesis_dimension> pairs = Pairs(fields);
  CheckStatus(kinesis_producer_log(producer_, static_cast<kinesis_log_level>(level),
                                   message.c_str(), pairs.data(), pairs.size()));
}

std::string NativeProducer::ConfigJson() const {
  char* json = nullptr;
  CheckStatus(kinesis_producer_config_json(producer_, &json));
  std::string text(json);
  kinesis_string_free(json);
  return text;
}

}  // namespace kinesis::python
