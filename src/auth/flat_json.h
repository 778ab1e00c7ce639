// FlatJson: a small, strict JSON reader for the credential documents this component receives
// (credential_process output, container and instance-metadata credentials) and for the SigV4
// test suite's context files.
//
// The document must be one JSON object. Scalars are kept by their dotted path:
// {"a": {"b": "x"}, "n": 1} gives "a.b" -> "x" and "n" -> "1" (numbers keep their text). Arrays
// are validated and skipped. The error messages name the offset and what was expected, never the
// text of the document, because the document may hold secrets.
//
// Thread safety: a value; Parse may be called from any thread.
#ifndef KINESIS_AUTH_FLAT_JSON_H_
#define KINESIS_AUTH_FLAT_JSON_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "kinesis/status.h"

namespace kinesis::auth {

class FlatJson {
 public:
  enum class Type { kString, kNumber, kBool, kNull };
  struct Value {
    Type type;
    std::string text;  // unescaped string, number text, "true"/"false", or empty for null
  };

  // Fails (kCorruption) on anything that is not one well-formed JSON object, on nesting deeper
  // than 16 levels, and on inputs over 1 MiB.
  static Result<FlatJson> Parse(std::string_view text);

  // The value at `path` when it exists and has the given type.
  std::optional<std::string> String(const std::string& path) const;
  std::optional<std::string> Number(const std::string& path) const;
  std::optional<bool> Bool(const std::string& path) const;
  bool Has(const std::string& path) const { return values_.count(path) != 0; }
  const std::map<std::string, Value>& values() const { return values_; }

 private:
  std::map<std::string, Value> values_;

  friend class FlatJsonParser;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_FLAT_JSON_H_
