// CloudWatch Logs PutLogEvents bodies (JSON 1.1 protocol, X-Amz-Target
// Logs_20140328.PutLogEvents):
//
//   {"logGroupName":"/app/clicks","logStreamName":"host-1",
//    "logEvents":[{"timestamp":1764052200123,"message":"{\"time\":...}"},...]}
//
// split by the service's rules: at most 10,000 events per call; at most 1,048,576 bytes per
// call, counted as the sum of each message's UTF-8 bytes plus 26; events in time order within
// a call; a call's events spanning at most 24 hours; an event at most 256 KiB with its 26
// bytes (a longer message is cut there, at a character boundary).
//
// Thread safety: pure functions.
#ifndef KINESIS_MONITORING_CLOUDWATCH_LOGS_REQUEST_H_
#define KINESIS_MONITORING_CLOUDWATCH_LOGS_REQUEST_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis::monitoring {

struct LogEvent {
  int64_t timestamp_ms = 0;  // milliseconds since the Unix epoch
  std::string message;
};

struct PutLogEventsLimits {
  size_t max_events = 10000;                 // per call
  size_t max_bytes = 1048576;                // per call, messages plus overhead
  size_t overhead = 26;                      // counted per event
  size_t max_event_bytes = 262144;           // one event, message plus overhead
  int64_t max_span_ms = 24LL * 3600 * 1000;  // newest minus oldest event of a call
};

struct PutLogEventsBatch {
  std::string body;
  size_t events = 0;
  size_t bytes = 0;  // as the service counts them (messages plus overhead)
};

// Sorts `events` by time (arrival order kept among equal times) and builds the calls' bodies.
std::vector<PutLogEventsBatch> BuildPutLogEventsBatches(std::string_view log_group,
                                                        std::string_view log_stream,
                                                        std::vector<LogEvent> events,
                                                        const PutLogEventsLimits& limits);

}  // namespace kinesis::monitoring

#endif  // KINESIS_MONITORING_CLOUDWATCH_LOGS_REQUEST_H_
