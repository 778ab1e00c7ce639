#include "flow_metrics.h"

#include "kinesis/app_metrics.h"

namespace kinesis::put {

Result<FlowMetrics> FlowMetrics::Create(Producer& producer, const std::string& flow) {
  FlowMetrics m;
  MetricDimensions dimensions = {{"Flow", flow}};
  ApplicationMetrics& app = producer.AppMetrics();
  for (auto [name, counter] : {std::pair{"KinesisPutRecordsRead", &m.read_},
                               std::pair{"KinesisPutRecordsSucceeded", &m.succeeded_},
                               std::pair{"KinesisPutRecordsFailed", &m.failed_}}) {
    Result<AppCounter> c = app.Counter(name, dimensions);
    if (!c.ok()) return c.status();
    *counter = *c;
  }
  Result<AppCounter> bytes = app.Counter("KinesisPutBytesSucceeded", dimensions);
  if (!bytes.ok()) return bytes.status();
  m.bytes_ = *bytes;
  Result<AppHistogram> lag = app.Histogram("KinesisPutLagBytes", dimensions, "Bytes");
  if (!lag.ok()) return lag.status();
  m.lag_ = *lag;
  return m;
}

void FlowMetrics::Publish(const FlowCounts& totals) {
  auto add = [](const AppCounter& counter, uint64_t now, uint64_t& before) {
    if (now > before) counter.Add(now - before);
    before = now;
  };
  add(read_, totals.read, published_.read);
  add(succeeded_, totals.succeeded, published_.succeeded);
  add(failed_, totals.failed, published_.failed);
  add(bytes_, totals.bytes, published_.bytes);
  lag_.Record(static_cast<double>(totals.lag_bytes)).ok();  // never negative
}

}  // namespace kinesis::put
