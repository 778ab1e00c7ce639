#include "record_builder.h"

#include <openssl/evp.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>

namespace kinesis::put {

std::string_view InputErrorName(InputError error) {
  switch (error) {
    case InputError::kNone:
      return "none";
    case InputError::kUnreadableFile:
      return "unreadable_file";
    case InputError::kMalformedJson:
      return "malformed_json";
    case InputError::kMissingKeyField:
      return "missing_key_field";
    case InputError::kBadKeyField:
      return "bad_key_field";
    case InputError::kOversized:
      return "oversized";
    case InputError::kTruncated:
      return "truncated";
    case InputError::kRejected:
      return "rejected";
  }
  return "unknown";
}

struct RecordBuilder::Json {
  simdjson::dom::parser parser;
};

namespace {

// Finds a dotted path ("a.b.c") in a document; false when any step is missing.
bool FindField(simdjson::dom::element doc, std::string_view path, simdjson::dom::element* out) {
  simdjson::dom::element at = doc;
  while (true) {
    size_t dot = path.find('.');
    std::string_view name = path.substr(0, dot);
    if (!at.is_object() || at.at_key(name).get(at) != simdjson::SUCCESS) return false;
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
  }
  *out = at;
  return true;
}

// A key field's text: strings as they are, numbers as written; anything else is an error.
InputError FieldText(simdjson::dom::element doc, const std::string& field, std::string* text,
                     std::string* message) {
  simdjson::dom::element value;
  if (!FindField(doc, field, &value)) {
    *message = "missing key field '" + field + "'";
    return InputError::kMissingKeyField;
  }
  if (value.is_string()) {
    text->assign(value.get_string().value_unsafe());  // into the room `text` has
  } else if (value.is_number()) {
    *text = simdjson::minify(value);
  } else {
    *message = "key field '" + field + "' is not a string or a number";
    return InputError::kBadKeyField;
  }
  if (text->empty()) {
    *message = "key field '" + field + "' is empty";
    return InputError::kBadKeyField;
  }
  return InputError::kNone;
}

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

}  // namespace

RecordBuilder::RecordBuilder(InputFormat format, KeyOptions keys, uint64_t max_record_size)
    : format_(format),
      keys_(std::move(keys)),
      max_record_size_(max_record_size),
      random_state_(
          keys_.seed != 0
              ? keys_.seed
              : static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())),
      json_(std::make_unique<Json>()) {}

RecordBuilder::~RecordBuilder() = default;

void RecordBuilder::RandomKey(std::string& key) {
  // splitmix64: cheap, and MD5 of the key spreads it over the shards anyway.
  uint64_t z = (random_state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  static constexpr char kHex[] = "0123456789abcdef";
  key.resize(16);  // in the caller's string: no allocation once it has room
  for (int i = 15; i >= 0; --i, z >>= 4) key[i] = kHex[z & 15];
}

InputError RecordBuilder::Build(const Frame& frame, BuiltRecord* out, std::string* message) {
  if (frame.truncated) {
    *message = "input ends inside a record (" + std::to_string(frame.size) + " bytes read)";
    return InputError::kTruncated;
  }
  if (frame.oversized && !truncate_) {
    *message = "record of " + std::to_string(frame.size) + " bytes is over the limit of " +
               std::to_string(max_record_size_) + " bytes";
    return InputError::kOversized;
  }
  out->explicit_hash_key.clear();
  out->truncated = false;
  out->rewritten = false;
  out->skipped = false;
  if (format_ == InputFormat::kJsonLines) {
    simdjson::dom::element doc;
    auto error = json_->parser.parse(frame.data.data(), frame.data.size()).get(doc);
    if (error != simdjson::SUCCESS) {
      *message = std::string("malformed JSON: ") + simdjson::error_message(error);
      return InputError::kMalformedJson;
    }
    if (keys_.mode == KeyMode::kField) {
      InputError e = FieldText(doc, keys_.key_field, &out->partition_key, message);
      if (e != InputError::kNone) return e;
    }
    if (!keys_.hash_key_field.empty()) {
      InputError e = FieldText(doc, keys_.hash_key_field, &out->explicit_hash_key, message);
      if (e != InputError::kNone) return e;
    }
    if (!keys_.count_field.empty()) {
      // Counting never refuses a record: a line without the field is counted apart.
      std::string ignored;
      if (FieldText(doc, keys_.count_field, &out->count_value, &ignored) != InputError::kNone) {
        out->count_value = "(none)";
      }
    }
  }
  std::string_view data = frame.data;
  if (agent_records_) {
    line_.assign(frame.data);
    line_ += '\n';
    data = line_;
    if (processor_ != nullptr) {
      if (!processor_->Process(data, &converted_)) {
        out->skipped = true;
        return InputError::kNone;
      }
      data = converted_;
    }
    out->rewritten = true;
  }
  if (keys_.mode == KeyMode::kFixed) out->partition_key = keys_.fixed_key;
  if (keys_.mode == KeyMode::kRandom) RandomKey(out->partition_key);
  if (keys_.mode == KeyMode::kDeterministic) out->partition_key = Md5Hex(data);
  uint64_t size = data.size() + out->partition_key.size();
  if (truncate_ && (frame.oversized || size > max_record_size_)) {
    uint64_t room =
        max_record_size_ -
        std::min<uint64_t>(max_record_size_, out->partition_key.size() + terminator_.size());
    out->data.assign(data.substr(0, std::min<uint64_t>(room, data.size())));
    out->data += terminator_;
    out->truncated = true;
    out->rewritten = true;
    return InputError::kNone;
  }
  if (size > max_record_size_) {
    *message = "record of " + std::to_string(size) + " bytes (data + partition key) is over the " +
               "limit of " + std::to_string(max_record_size_) + " bytes";
    return InputError::kOversized;
  }
  out->data.assign(data);
  return InputError::kNone;
}

}  // namespace kinesis::put
