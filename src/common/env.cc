#include "common/env.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace kinesis {

std::optional<std::string> GetEnv(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

EnvLookup SystemEnvironment() { return GetEnv; }

EnvLookup MapEnvironment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::optional<std::string> NonEmpty(const EnvLookup& env, std::string_view name) {
  std::optional<std::string> value = env(name);
  if (!value.has_value() || value->empty()) return std::nullopt;
  return value;
}

bool EnvIsTrue(const EnvLookup& env, std::string_view name) {
  std::optional<std::string> value = env(name);
  if (!value.has_value()) return false;
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "true";
}

}  // namespace kinesis
