// FlowMetrics: one flow's counts as application metrics of the producer, so that they reach the
// Prometheus endpoint (kinesis_app_kinesis_put_*{flow="..."}), the JSON statistics and, with
// CloudwatchUpload, CloudWatch, beside the producer's own metrics.
//
//   records read, succeeded, failed    counters   KinesisPutRecordsRead, ...Succeeded, ...Failed
//   bytes succeeded (data + key)       counter    KinesisPutBytesSucceeded
//   bytes behind the end of its files  histogram  KinesisPutLagBytes (a sample per Publish)
//
// Publish takes the flow's running totals and adds what is new since the last call.
//
// Thread safety: Publish from one thread at a time (kinesis-put's reading thread).
#ifndef KINESIS_PUT_FLOW_METRICS_H_
#define KINESIS_PUT_FLOW_METRICS_H_

#include <cstdint>
#include <string>

#include "kinesis/producer.h"
#include "run_stats.h"

namespace kinesis::put {

class FlowMetrics {
 public:
  // Fails as Counter and Histogram do (a bad name, past AppMetricsMaxSeries).
  static Result<FlowMetrics> Create(Producer& producer, const std::string& flow);

  // `totals`: the flow's counts since the start (lag_bytes: now).
  void Publish(const FlowCounts& totals);

 private:
  AppCounter read_, succeeded_, failed_, bytes_;
  AppHistogram lag_;
  FlowCounts published_;
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_FLOW_METRICS_H_
