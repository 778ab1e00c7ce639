// RequestArgs: the scalar arguments of a Kinesis JSON request, read with simdjson's on-demand
// API. Nested objects are flattened with dots ("ShardFilter.Type"); arrays are skipped (the
// one action with an array, PutRecords, reads its body itself).
//
// Thread safety: one instance per request.
#ifndef KINESIS_SIM_REQUEST_ARGS_H_
#define KINESIS_SIM_REQUEST_ARGS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "sim/api_error.h"

namespace kinesis::sim {

class RequestArgs {
 public:
  // `body` must have kBodyPadding readable bytes after its end. Malformed JSON or a body that
  // is not an object: SerializationException.
  MaybeError Parse(std::string_view body);

  bool Has(std::string_view key) const { return values_.count(std::string(key)) > 0; }
  // A wrong type is a SerializationException, as the service answers.
  MaybeError String(std::string_view key, std::string* out) const;
  MaybeError Int(std::string_view key, int64_t* out) const;
  MaybeError Number(std::string_view key, double* out) const;

 private:
  struct Value {
    bool is_string = false;
    bool is_number = false;
    std::string text;
    double number = 0;
  };
  std::map<std::string, Value, std::less<>> values_;

  friend struct ArgsFiller;
};

// "Value null at 'streamName' failed to satisfy constraint: Member must not be null".
ApiError MissingArg(std::string_view member);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_REQUEST_ARGS_H_
