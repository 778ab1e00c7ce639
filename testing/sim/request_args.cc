#include "sim/request_args.h"

#include <cmath>
#include <simdjson.h>

#include "sim/http_server.h"

namespace kinesis::sim {

ApiError MissingArg(std::string_view member) {
  return ValidationError("Value null at '" + std::string(member) +
                         "' failed to satisfy constraint: Member must not be null");
}

namespace {
ApiError Serialization(std::string_view what) {
  return ClientError("SerializationException", std::string(what));
}
}  // namespace

struct ArgsFiller {
  static bool Fill(simdjson::ondemand::object obj, const std::string& prefix, RequestArgs* args,
                   int depth) {
    if (depth > 8) return false;
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return false;
      std::string name = prefix + std::string(key);
      simdjson::ondemand::value value;
      if (field.value().get(value)) return false;
      simdjson::ondemand::json_type type;
      if (value.type().get(type)) return false;
      RequestArgs::Value v;
      switch (type) {
        case simdjson::ondemand::json_type::string: {
          std::string_view s;
          if (value.get_string().get(s)) return false;
          v.is_string = true;
          v.text = std::string(s);
          break;
        }
        case simdjson::ondemand::json_type::number: {
          if (value.get_double().get(v.number)) return false;
          v.is_number = true;
          break;
        }
        case simdjson::ondemand::json_type::object: {
          simdjson::ondemand::object inner;
          if (value.get_object().get(inner)) return false;
          if (!Fill(inner, name + ".", args, depth + 1)) return false;
          continue;
        }
        default: {
          // Arrays, booleans and nulls: kept as present but untyped; on-demand skips them.
          break;
        }
      }
      args->values_[name] = std::move(v);
    }
    return true;
  }
};

MaybeError RequestArgs::Parse(std::string_view body) {
  values_.clear();
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::nullopt;
  thread_local simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  if (parser.iterate(body.data(), body.size(), body.size() + kBodyPadding).get(doc)) {
    return Serialization("Start of structure or map found where not expected.");
  }
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj) || !ArgsFiller::Fill(obj, "", this, 0)) {
    return Serialization("Start of structure or map found where not expected.");
  }
  return std::nullopt;
}

MaybeError RequestArgs::String(std::string_view key, std::string* out) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (!it->second.is_string) {
    return Serialization("NUMBER_VALUE can not be converted to a String");
  }
  *out = it->second.text;
  return std::nullopt;
}

MaybeError RequestArgs::Number(std::string_view key, double* out) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (!it->second.is_number) return Serialization("STRING_VALUE can not be converted to a Number");
  *out = it->second.number;
  return std::nullopt;
}

MaybeError RequestArgs::Int(std::string_view key, int64_t* out) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (!it->second.is_number || std::floor(it->second.number) != it->second.number ||
      std::fabs(it->second.number) > 9e15) {
    return Serialization("STRING_VALUE can not be converted to an Integer");
  }
  *out = static_cast<int64_t>(it->second.number);
  return std::nullopt;
}

}  // namespace kinesis::sim
