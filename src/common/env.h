// Environment variables, read through an EnvLookup so that tests never change the process's
// environment: SystemEnvironment() in the product, MapEnvironment({...}) in tests.
#ifndef KINESIS_COMMON_ENV_H_
#define KINESIS_COMMON_ENV_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kinesis {

// Returns the value of an environment variable, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads the process environment (getenv).
EnvLookup SystemEnvironment();
// Reads a fixed map (for tests and embedding).
EnvLookup MapEnvironment(std::map<std::string, std::string> values);
// The process environment's value of `name`, or nullopt when it is not set.
std::optional<std::string> GetEnv(std::string_view name);
// The value when set and non-empty.
std::optional<std::string> NonEmpty(const EnvLookup& env, std::string_view name);
// True for "true" in any case (the AWS convention for boolean variables).
bool EnvIsTrue(const EnvLookup& env, std::string_view name);

}  // namespace kinesis

#endif  // KINESIS_COMMON_ENV_H_
