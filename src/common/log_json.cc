// JsonLogLine: the JSON form of a log line (LogFormat json, and the CloudWatch Logs events).
#include "common/json_string.h"
#include "common/log.h"

namespace kinesis {

std::string JsonLogLine(const LogEntry& entry) {
  std::string out = "{\"time\":\"";
  out += FormatLogTime(entry.time);
  out += "\",\"level\":\"";
  out += LogLevelName(entry.level);
  out += "\",\"component\":";
  AppendJsonString(out, entry.component);
  out += ",\"message\":";
  AppendJsonString(out, entry.message);
  if (!entry.fields.empty()) {
    out += ",\"fields\":{";
    bool first = true;
    for (const auto& [key, value] : entry.fields) {
      if (!first) out += ',';
      first = false;
      AppendJsonString(out, key);
      out += ':';
      AppendJsonString(out, value);
    }
    out += '}';
  }
  if (entry.suppressed > 0) out += ",\"suppressed\":" + std::to_string(entry.suppressed);
  out += '}';
  return out;
}

}  // namespace kinesis
