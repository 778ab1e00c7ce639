#include "sim/put_json.h"

#include <simdjson.h>

#include "sim/http_server.h"

namespace kinesis::sim {
namespace {

// The contents of a JSON string token; false when the token is not a string.
bool StringToken(std::string_view token, std::string_view* out) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t')) {
    token.remove_suffix(1);
  }
  if (token.size() < 2 || token.front() != '"' || token.back() != '"') return false;
  *out = token.substr(1, token.size() - 2);
  return true;
}

bool ParseRecord(simdjson::ondemand::value value, ParsedRecord* r) {
  simdjson::ondemand::object obj;
  if (value.get_object().get(obj)) return false;
  for (auto field : obj) {
    simdjson::ondemand::raw_json_string key;
    if (field.key().get(key)) return false;
    simdjson::ondemand::value v = field.value();
    if (key == "Data") {
      std::string_view token;
      // Base64 needs no unescaping: take the raw token, no copy.
      token = v.raw_json_token();
      if (!StringToken(token, &r->data)) return false;
      r->has_data = true;
    } else if (key == "PartitionKey") {
      if (v.get_string().get(r->partition_key)) return false;
      r->has_key = true;
    } else if (key == "ExplicitHashKey") {
      if (v.get_string().get(r->explicit_hash_key)) return false;
      r->has_hash = true;
    }
  }
  return true;
}

}  // namespace

MaybeError DecodePutRecordsJson(std::string_view body, PutRecordsInput* input) {
  thread_local simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(body.data(), body.size(), body.size() + kBodyPadding).get(doc) ||
      doc.get_object().get(obj)) {
    return SerializationError();
  }
  std::vector<ParsedRecord>& records = *input->records;
  for (auto field : obj) {
    simdjson::ondemand::raw_json_string key;
    if (field.key().get(key)) return SerializationError();
    if (key == "Records") {
      simdjson::ondemand::array array;
      if (field.value().get_array().get(array)) return SerializationError();
      input->has_records = true;
      for (auto element : array) {
        simdjson::ondemand::value value;
        records.emplace_back();
        if (element.get(value) || !ParseRecord(value, &records.back())) {
          return SerializationError();
        }
      }
    } else if (key == "StreamName" || key == "StreamARN") {
      bool arn = key == "StreamARN";
      std::string_view text;
      if (field.value().get_string().get(text)) return SerializationError();
      (arn ? input->stream.arn : input->stream.name) = text;
      (arn ? input->stream.has_arn : input->stream.has_name) = true;
    }
  }
  return std::nullopt;
}

}  // namespace kinesis::sim
