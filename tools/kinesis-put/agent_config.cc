#include "agent_config.h"

#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "multiline.h"

namespace kinesis::put {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The Agent's limits on its flows' buffers (KinesisFileFlow).
constexpr uint64_t kMaxBufferAgeMin = 1000, kMaxBufferAgeMax = 15 * 60 * 1000;
constexpr uint64_t kMaxBufferRecords = 500;
constexpr uint64_t kMaxBufferBytes = 5 * 1024 * 1024;
// The smallest CollectionMaxSize the producer takes (the KPL's).
constexpr uint64_t kMinCollectionBytes = 52224;

Result<std::string> Text(element value, const std::string& what) {
  std::string_view s;
  if (value.get_string().get(s) != simdjson::SUCCESS) {
    return Status::InvalidArgument(what + " takes a string");
  }
  return std::string(s);
}

// A whole number, written as a JSON number or a string of digits (the Agent takes both).
Result<uint64_t> Number(element value, const std::string& what, uint64_t min, uint64_t max) {
  uint64_t n = 0;
  std::string_view s;
  if (value.get_string().get(s) == simdjson::SUCCESS) {
    std::string text(s);
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
      return Status::InvalidArgument(what + " takes a whole number, not '" + text + "'");
    }
    n = std::stoull(text);
  } else if (value.get_uint64().get(n) != simdjson::SUCCESS) {
    return Status::InvalidArgument(what + " takes a whole number, not " + simdjson::minify(value));
  }
  if (n < min || n > max) {
    return Status::InvalidArgument(what + " is " + std::to_string(n) + "; it must be in " +
                                   std::to_string(min) + ".." + std::to_string(max));
  }
  return n;
}

Result<bool> Bool(element value, const std::string& what) {
  bool b = false;
  if (value.get_bool().get(b) == simdjson::SUCCESS) return b;
  std::string_view s;
  if (value.get_string().get(s) == simdjson::SUCCESS && (s == "true" || s == "false")) {
    return s == "true";
  }
  return Status::InvalidArgument(what + " takes true or false, not " + simdjson::minify(value));
}

Result<std::vector<std::string>> TextList(element value, const std::string& what) {
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return Status::InvalidArgument(what + " takes a list of strings");
  }
  std::vector<std::string> out;
  for (element e : array) {
    auto t = Text(e, what);
    if (!t.ok()) return t.status();
    out.push_back(std::move(t).value());
  }
  return out;
}

// A name for a flow's checkpoint file: its stream, and a hash of its file pattern (two flows
// may follow the same files into two streams, or two patterns into one stream).
std::string FlowKey(const std::string& stream, const std::string& pattern) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : pattern) h = (h ^ c) * 0x100000001b3ull;
  std::string key;
  for (char c : stream) key += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
  return key + "." + hex;
}

Result<ProcessingStep> ParseStep(element option, const std::string& where,
                                 std::vector<std::string>* notes) {
  simdjson::dom::object object;
  if (option.get_object().get(object) != simdjson::SUCCESS) {
    return Status::InvalidArgument(where + " takes objects");
  }
  std::string name;
  element value;
  if (object.at_key("optionName").get(value) != simdjson::SUCCESS) {
    return Status::InvalidArgument(where + " needs optionName");
  }
  auto n = Text(value, where + " optionName");
  if (!n.ok()) return n.status();
  name = *n;
  ProcessingStep step;
  using K = ProcessingStep::Kind;
  if (name == "SINGLELINE") {
    step.kind = K::kSingleLine;
  } else if (name == "CSVTOJSON") {
    step.kind = K::kCsvToJson;
  } else if (name == "LOGTOJSON") {
    step.kind = K::kLogToJson;
  } else if (name == "ADDMETADATA") {
    step.kind = K::kAddMetadata;
  } else if (name == "ADDBRACKETS") {
    step.kind = K::kAddBrackets;
  } else {
    return Status::InvalidArgument(
        where + " optionName '" + name +
        "' is not supported (SINGLELINE, CSVTOJSON, LOGTOJSON, ADDMETADATA, ADDBRACKETS are)");
  }
  for (auto [key_view, v] : object) {
    std::string key(key_view);
    std::string what = where + " " + name + " " + key;
    if (key == "optionName") continue;
    if (key == "customFieldNames" && (step.kind == K::kCsvToJson || step.kind == K::kLogToJson)) {
      auto list = TextList(v, what);
      if (!list.ok()) return list.status();
      step.field_names = std::move(list).value();
    } else if (key == "delimiter" && step.kind == K::kCsvToJson) {
      auto t = Text(v, what);
      if (!t.ok()) return t.status();
      step.delimiter = *t;
    } else if (key == "logFormat" && step.kind == K::kLogToJson) {
      auto t = Text(v, what);
      if (!t.ok()) return t.status();
      step.log_format = *t;
    } else if (key == "matchPattern" && step.kind == K::kLogToJson) {
      auto t = Text(v, what);
      if (!t.ok()) return t.status();
      step.match_pattern = *t;
    } else if (key == "parseOptions" && step.kind == K::kSingleLine) {
      auto list = TextList(v, what);
      if (!list.ok()) return list.status();
      for (const std::string& o : *list) {
        if (o == "NO_TRIM") {
          step.no_trim = true;
        } else if (o == "ESCAPE_NEW_LINE") {
          step.escape_newline = true;
        } else {
          return Status::InvalidArgument(what + " '" + o +
                                         "' is not one of NO_TRIM, ESCAPE_NEW_LINE");
        }
      }
    } else if (key == "metadata" && step.kind == K::kAddMetadata) {
      step.metadata_json = simdjson::minify(v);
    } else if (key == "timestamp" && step.kind == K::kAddMetadata) {
      auto b = Bool(v, what);
      if (!b.ok()) return b.status();
      step.timestamp = *b;
    } else if (key == "jsonFormat" && v.is_string() && v.get_string().value_unsafe() == "COMPACT") {
      continue;
    } else {
      notes->push_back(what + " is not supported; it has no effect");
    }
  }
  if (step.kind == K::kLogToJson && step.log_format.empty()) {
    return Status::InvalidArgument(where + " LOGTOJSON needs logFormat");
  }
  return step;
}

// Reads one flow into `flow`; the buffer settings are folded into `*age`, `*count`, `*bytes`
// (the smallest over the flows: the producer has one of each).
Status ParseFlow(element value, const std::string& where, const std::string& checkpoint_file,
                 FlowOptions* flow, uint64_t* age, uint64_t* count, uint64_t* bytes,
                 std::vector<std::string>* notes) {
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return Status::InvalidArgument(where + " is not an object");
  }
  element e;
  if (object.at_key("deliveryStream").get(e) == simdjson::SUCCESS) {
    auto name = Text(e, where + " deliveryStream");
    return Status::InvalidArgument(
        where + " writes to the Firehose delivery stream '" + (name.ok() ? *name : "?") +
        "' (deliveryStream): kinesis-put writes to Kinesis Data Streams only (kinesisStream); "
        "remove that flow or run the Kinesis Agent for it");
  }
  flow->format = InputFormat::kLines;
  flow->newline_terminated = true;
  flow->truncate = true;  // the Agent truncates over-long records, ending them in '\n'
  flow->truncated_record_terminator = "\n";
  flow->start_at_end = true;  // END_OF_FILE
  std::string pattern;
  for (auto [key_view, v] : object) {
    std::string key(key_view);
    std::string what = where + " " + key;
    Status s;
    auto text = [&](std::string* out) {
      auto t = Text(v, what);
      if (!t.ok()) return t.status();
      *out = std::move(t).value();
      return Status::Ok();
    };
    if (key == "filePattern") {
      s = text(&pattern);
    } else if (key == "kinesisStream") {
      s = text(&flow->stream);
    } else if (key == "partitionKeyOption") {
      std::string o;
      s = text(&o);
      if (s.ok() && o != "RANDOM" && o != "DETERMINISTIC") {
        s = Status::InvalidArgument(what + " '" + o + "' is not one of RANDOM, DETERMINISTIC");
      }
      flow->keys.mode = o == "DETERMINISTIC" ? KeyMode::kDeterministic : KeyMode::kRandom;
    } else if (key == "initialPosition") {
      std::string o;
      s = text(&o);
      if (s.ok() && o != "START_OF_FILE" && o != "END_OF_FILE") {
        s = Status::InvalidArgument(what + " '" + o + "' is not one of START_OF_FILE, END_OF_FILE");
      }
      flow->start_at_end = o == "END_OF_FILE";
    } else if (key == "multiLineStartPattern") {
      std::string o;
      s = text(&o);
      if (s.ok() && !o.empty()) {
        auto re = CompilePattern(what, o);
        if (!re.ok()) return re.status();
        flow->multiline_start = std::move(re).value();
      }
    } else if (key == "skipHeaderLines") {
      auto n = Number(v, what, 0, UINT32_MAX);
      if (!n.ok()) return n.status();
      flow->skip_header_lines = *n;
    } else if (key == "truncatedRecordTerminator") {
      s = text(&flow->truncated_record_terminator);
    } else if (key == "maxBufferAgeMillis") {
      auto n = Number(v, what, kMaxBufferAgeMin, kMaxBufferAgeMax);
      if (!n.ok()) return n.status();
      *age = std::min(*age, *n);
    } else if (key == "maxBufferSizeRecords") {
      auto n = Number(v, what, 1, kMaxBufferRecords);
      if (!n.ok()) return n.status();
      *count = std::min(*count, *n);
    } else if (key == "maxBufferSizeBytes") {
      auto n = Number(v, what, 1, kMaxBufferBytes);
      if (!n.ok()) return n.status();
      *bytes = std::min(*bytes, *n);
    } else if (key == "dataProcessingOptions") {
      simdjson::dom::array steps;
      if (v.get_array().get(steps) != simdjson::SUCCESS) {
        return Status::InvalidArgument(what + " takes a list");
      }
      for (element step : steps) {
        auto parsed = ParseStep(step, what, notes);
        if (!parsed.ok()) return parsed.status();
        flow->processing.push_back(std::move(parsed).value());
      }
      auto check = DataProcessor::Create(flow->processing);
      if (!check.ok()) return Status::InvalidArgument(where + ": " + check.status().message());
    } else {
      notes->push_back(what + " is not supported; it has no effect");
    }
    if (!s.ok()) return s;
  }
  if (pattern.empty()) return Status::InvalidArgument(where + " needs filePattern");
  if (flow->stream.empty()) {
    return Status::InvalidArgument(where + " needs kinesisStream (or is not a Kinesis flow)");
  }
  flow->inputs = {pattern};
  flow->name = flow->stream + " (" + pattern + ")";
  flow->checkpoint = checkpoint_file + "." + FlowKey(flow->stream, pattern);
  return Status::Ok();
}

}  // namespace

Status ApplyAgentConfig(std::string_view text, const std::string& origin, PutOptions* options) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  element root;
  if (auto error = parser.parse(padded).get(root); error != simdjson::SUCCESS) {
    return Status::InvalidArgument(origin + ": not JSON: " + simdjson::error_message(error));
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return Status::InvalidArgument(origin + ": not a JSON object");
  }
  std::string checkpoint_file(kAgentCheckpointFile);
  element e;
  if (object.at_key("checkpointFile").get(e) == simdjson::SUCCESS) {
    auto t = Text(e, origin + ": checkpointFile");
    if (!t.ok()) return t.status();
    checkpoint_file = *t;
  }
  ProducerConfig& config = options->config;
  std::string access_key, secret_key, region, endpoint;
  for (auto [key_view, v] : object) {
    std::string key(key_view);
    std::string what = origin + ": " + key;
    std::string* target = key == "awsAccessKeyId"                         ? &access_key
                          : key == "awsSecretAccessKey"                   ? &secret_key
                          : key == "kinesis.endpoint"                     ? &endpoint
                          : key == "kinesis.region" || key == "awsRegion" ? &region
                          : key == "sts.endpoint"                         ? &config.sts_endpoint
                          : key == "assumeRoleARN"                        ? &config.role_arn
                          : key == "assumeRoleExternalId"                 ? &config.role_external_id
                                                                          : nullptr;
    if (target != nullptr) {
      // Never echo a value here: the secret key is one.
      if (!v.is_string()) return Status::InvalidArgument(what + " takes a string");
      *target = std::string(v.get_string().value_unsafe());
    } else if (key != "flows" && key != "checkpointFile") {
      options->notes.push_back(what + " is not supported; it has no effect");
    }
  }
  if (access_key.empty() != secret_key.empty()) {
    return Status::InvalidArgument(origin +
                                   ": give both awsAccessKeyId and awsSecretAccessKey, or neither");
  }
  if (!access_key.empty()) {
    config.aws_access_key_id = access_key;
    config.aws_secret_key = secret_key;
  }
  if (!config.role_arn.empty() && config.role_arn.rfind("arn:", 0) != 0) {
    return Status::InvalidArgument(origin + ": assumeRoleARN takes a role ARN (arn:...), not '" +
                                   config.role_arn + "'");
  }
  if (!config.role_external_id.empty() && config.role_arn.empty()) {
    return Status::InvalidArgument(origin + ": assumeRoleExternalId needs assumeRoleARN");
  }
  if (!endpoint.empty()) {
    config.kinesis_endpoint = endpoint;
    // https://kinesis.us-west-2.amazonaws.com names its region.
    size_t at = endpoint.find("kinesis.");
    size_t end = endpoint.find(".amazonaws.com");
    if (region.empty() && at != std::string::npos && end != std::string::npos && end > at + 8) {
      region = endpoint.substr(at + 8, end - at - 8);
    }
  }
  if (!region.empty()) config.region = region;

  simdjson::dom::array flows;
  if (object.at_key("flows").get(e) != simdjson::SUCCESS ||
      e.get_array().get(flows) != simdjson::SUCCESS || flows.size() == 0) {
    return Status::InvalidArgument(origin + ": flows must list at least one flow");
  }
  uint64_t age = UINT64_MAX, count = UINT64_MAX, bytes = UINT64_MAX;
  size_t index = 0;
  for (element flow_value : flows) {
    FlowOptions flow;
    flow.multiline_flush = std::chrono::milliseconds(1000);
    std::string where = origin + ": flow " + std::to_string(++index);
    Status s =
        ParseFlow(flow_value, where, checkpoint_file, &flow, &age, &count, &bytes, &options->notes);
    if (!s.ok()) return s;
    for (const FlowOptions& other : options->flows) {
      if (other.checkpoint == flow.checkpoint) {
        return Status::InvalidArgument(where +
                                       " repeats an earlier flow (same filePattern and "
                                       "kinesisStream)");
      }
    }
    if (flow.truncated_record_terminator.size() >= config.max_user_record_size) {
      return Status::InvalidArgument(where +
                                     " truncatedRecordTerminator is not shorter than the "
                                     "record limit of " +
                                     std::to_string(config.max_user_record_size) + " bytes");
    }
    options->flows.push_back(std::move(flow));
  }
  if (age != UINT64_MAX) config.record_max_buffered_time_ms = age;
  if (count != UINT64_MAX) config.collection_max_count = count;
  if (bytes != UINT64_MAX) {
    if (bytes < kMinCollectionBytes) {
      options->notes.push_back(origin + ": maxBufferSizeBytes " + std::to_string(bytes) +
                               " is taken as " + std::to_string(kMinCollectionBytes) +
                               ", the smallest request size the producer uses");
    }
    config.collection_max_size = std::max(bytes, kMinCollectionBytes);
  }
  options->journal_base = checkpoint_file;
  options->follow = true;
  return Status::Ok();
}

Status LoadAgentConfig(const std::string& path, PutOptions* options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read --agent-config " + path);
  std::stringstream text;
  text << in.rdbuf();
  return ApplyAgentConfig(text.str(), path, options);
}

}  // namespace kinesis::put
