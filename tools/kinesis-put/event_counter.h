// EventCounter: counts the records kinesis-put puts by the value of one field (--count-by-field)
// through the producer's application metrics (Producer::AppMetrics), so they reach CloudWatch,
// Prometheus and the JSON statistics next to the producer's own, and prints the counts at the
// end.
//
// Thread safety: Count from the reading thread only; Report once the producer is closed.
#ifndef KINESIS_PUT_EVENT_COUNTER_H_
#define KINESIS_PUT_EVENT_COUNTER_H_

#include <functional>
#include <map>
#include <string>

#include "kinesis/producer.h"

namespace kinesis::put {

class EventCounter {
 public:
  // `warn` prints a line for the user (a value refused past AppMetricsMaxSeries, once).
  EventCounter(Producer& producer, std::string metric, std::string field,
               std::function<void(const std::string&)> warn);

  void Count(const std::string& value);

  // "Records by page (application metric, since start): /=16630, /cart=16721, ..." with the
  // `top` largest counts, read back from Producer::Metrics; "" when nothing was counted.
  std::string Report(size_t top) const;

 private:
  Producer& producer_;
  const std::string metric_;
  const std::string field_;
  const std::function<void(const std::string&)> warn_;
  std::map<std::string, AppCounter, std::less<>> counters_;  // by value
  bool warned_ = false;
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_EVENT_COUNTER_H_
