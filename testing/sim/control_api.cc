#include "sim/control_api.h"

#include <simdjson.h>

#include "sim/base64.h"
#include "sim/json_out.h"

namespace kinesis::sim {
namespace {

void Answer(HttpResponse* response, int status, std::string body) {
  response->status = status;
  response->body = std::move(body);
  response->content_type = "application/json";
}

// Turns {"key": value, ...} into "key=value,..." so the JSON and the text forms share a parser.
bool JsonToSpec(std::string_view body, std::string* spec, bool* clear) {
  thread_local simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(body.data(), body.size(), body.size() + kBodyPadding).get(doc) ||
      doc.get_object().get(obj)) {
    return false;
  }
  for (auto field : obj) {
    std::string_view key;
    simdjson::ondemand::value value;
    if (field.unescaped_key().get(key) || field.value().get(value)) return false;
    simdjson::ondemand::json_type type;
    if (value.type().get(type)) return false;
    std::string text;
    if (type == simdjson::ondemand::json_type::string) {
      std::string_view s;
      if (value.get_string().get(s)) return false;
      text = std::string(s);
    } else if (type == simdjson::ondemand::json_type::boolean) {
      bool b = false;
      if (value.get_bool().get(b)) return false;
      if (key == "clear") {
        *clear = b;
        continue;
      }
      text.push_back(b ? '1' : '0');
    } else {
      std::string_view raw = value.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r')) {
        raw.remove_suffix(1);
      }
      text = std::string(raw);
    }
    if (!spec->empty()) spec->push_back(',');
    spec->append(key);
    spec->push_back('=');
    spec->append(text);
  }
  return true;
}

std::string QueryParam(std::string_view path, std::string_view name) {
  size_t q = path.find('?');
  if (q == std::string_view::npos) return "";
  std::string_view query = path.substr(q + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return "";
}

std::string RecordsJson(const std::vector<StoredRecord>& records) {
  std::string out = "{\"Records\":[";
  for (size_t i = 0; i < records.size(); ++i) {
    const StoredRecord& r = records[i];
    if (i) out.push_back(',');
    out.push_back('{');
    AppendJsonField(&out, "ShardId", r.shard_id);
    out.push_back(',');
    AppendJsonField(&out, "SequenceNumber", r.sequence_number);
    out.push_back(',');
    AppendJsonField(&out, "PartitionKey", r.partition_key);
    out.push_back(',');
    AppendJsonField(&out, "ExplicitHashKey", r.explicit_hash_key);
    out.push_back(',');
    AppendJsonField(&out, "Data", Base64Encode(r.data));
    out.push_back(',');
    AppendJsonNumber(&out, "ArrivalMs", r.arrival_ms);
    out.push_back('}');
  }
  out += "]}";
  return out;
}

}  // namespace

std::string CountersJson(const SimCounters& c) {
  std::string out = "{";
  auto number = [&out](std::string_view key, uint64_t v, bool comma = true) {
    AppendJsonNumber(&out, key, static_cast<int64_t>(v));
    if (comma) out.push_back(',');
  };
  number("requests", c.requests);
  number("put_requests", c.put_requests);
  number("records_accepted", c.records_accepted);
  number("records_throttled", c.records_throttled);
  number("records_failed", c.records_failed);
  number("bytes_accepted", c.bytes_accepted);
  number("resets", c.resets);
  number("stalls", c.stalls);
  number("answer_lost_records_written", c.answer_lost_records_written);
  number("answer_lost_records_not_written", c.answer_lost_records_not_written);
  out += "\"errors\":{";
  bool first = true;
  for (const auto& [code, n] : c.errors_by_code) {
    if (!first) out.push_back(',');
    first = false;
    number(code, n, false);
  }
  out += "},\"shards\":{";
  first = true;
  for (const auto& [key, s] : c.shards) {
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(&out, key);
    out += ":{";
    number("records_accepted", s.records_accepted);
    number("records_throttled", s.records_throttled);
    number("records_failed", s.records_failed);
    number("bytes_accepted", s.bytes_accepted, false);
    out += "}";
  }
  out += "}}";
  return out;
}

void HandleControl(SimState& state, const HttpRequest& request, HttpResponse* response) {
  std::string_view path = request.path.substr(0, request.path.find('?'));
  if (path == "/_sim/counters" && request.method == "GET") {
    return Answer(response, 200, CountersJson(state.Counters()));
  }
  if (path == "/_sim/records" && request.method == "GET") {
    return Answer(response, 200, RecordsJson(state.Records(QueryParam(request.path, "stream"))));
  }
  if (path == "/_sim/faults/clear" && request.method == "POST") {
    (void)state.ApplyFaults("", true);
    return Answer(response, 200, "{}");
  }
  if (path == "/_sim/faults" && request.method == "POST") {
    std::string spec;
    bool clear = false;
    std::string_view body = request.body;
    size_t first = body.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && body[first] == '{') {
      if (!JsonToSpec(body, &spec, &clear)) {
        return Answer(response, 400, ErrorBody("SerializationException", "malformed JSON"));
      }
    } else {
      spec = std::string(body);
    }
    Status status = state.ApplyFaults(spec, clear);
    if (!status.ok()) {
      return Answer(response, 400, ErrorBody("InvalidArgumentException", status.message()));
    }
    return Answer(response, 200, "{}");
  }
  Answer(response, 404,
         ErrorBody("UnknownOperationException", "no control endpoint " + std::string(path)));
}

}  // namespace kinesis::sim
