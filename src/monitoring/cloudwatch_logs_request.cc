#include "monitoring/cloudwatch_logs_request.h"

#include <algorithm>

#include "common/json_string.h"

namespace kinesis::monitoring {
namespace {

// `text` cut to at most `bytes`, never inside a UTF-8 character.
void CutAtCharacter(std::string& text, size_t bytes) {
  if (text.size() <= bytes) return;
  size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
}

}  // namespace

std::vector<PutLogEventsBatch> BuildPutLogEventsBatches(std::string_view log_group,
                                                        std::string_view log_stream,
                                                        std::vector<LogEvent> events,
                                                        const PutLogEventsLimits& limits) {
  std::stable_sort(events.begin(), events.end(), [](const LogEvent& a, const LogEvent& b) {
    return a.timestamp_ms < b.timestamp_ms;
  });
  std::string header = "{\"logGroupName\":";
  AppendJsonString(header, log_group);
  header += ",\"logStreamName\":";
  AppendJsonString(header, log_stream);
  header += ",\"logEvents\":[";

  std::vector<PutLogEventsBatch> out;
  PutLogEventsBatch batch;
  int64_t first_ms = 0;
  auto finish = [&] {
    if (batch.events == 0) return;
    batch.body += "]}";
    out.push_back(std::move(batch));
    batch = PutLogEventsBatch{};
  };
  for (LogEvent& event : events) {
    CutAtCharacter(event.message, limits.max_event_bytes - limits.overhead);
    size_t bytes = event.message.size() + limits.overhead;
    if (batch.events > 0 &&
        (batch.events == limits.max_events || batch.bytes + bytes > limits.max_bytes ||
         event.timestamp_ms - first_ms > limits.max_span_ms)) {
      finish();
    }
    if (batch.events == 0) {
      batch.body = header;
      first_ms = event.timestamp_ms;
    } else {
      batch.body += ',';
    }
    batch.body += "{\"timestamp\":" + std::to_string(event.timestamp_ms) + ",\"message\":";
    AppendJsonString(batch.body, event.message);
    batch.body += '}';
    batch.bytes += bytes;
    ++batch.events;
  }
  finish();
  return out;
}

}  // namespace kinesis::monitoring
