#include "options.h"

#include <charconv>
#include <string_view>

namespace kinesis::kpl {
namespace {

struct Spec {
  char short_name;
  std::string_view long_name;
  bool takes_value;
};

constexpr Spec kSpecs[] = {
    {'i', "input-pipe", true},
    {'o', "output-pipe", true},
    {'c', "configuration", true},
    {'k', "kinesis-credentials", true},
    {'w', "cloudwatch-credentials", true},
    {'l', "log-level", true},
    {'t', "enable-stack-trace", false},
    {'a', "ca-path", true},
    {'\0', "close-timeout-ms", true},
};

constexpr uint64_t kMaxCloseTimeoutMs = 600000;

const Spec* FindSpec(std::string_view arg, std::string_view* inline_value) {
  if (arg.size() == 2 && arg[0] == '-' && arg[1] != '-') {
    for (const Spec& s : kSpecs) {
      if (s.short_name != '\0' && s.short_name == arg[1]) return &s;
    }
    return nullptr;
  }
  if (arg.rfind("--", 0) != 0) return nullptr;
  std::string_view name = arg.substr(2);
  size_t eq = name.find('=');
  if (eq != std::string_view::npos) {
    *inline_value = name.substr(eq + 1);
    name = name.substr(0, eq);
  }
  for (const Spec& s : kSpecs) {
    if (s.long_name == name) return &s;
  }
  return nullptr;
}

}  // namespace

Result<DaemonOptions> ParseOptions(int argc, const char* const* argv) {
  DaemonOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    const Spec* spec = FindSpec(arg, &value);
    if (spec == nullptr) {
      o.unknown.emplace_back(arg);
      continue;
    }
    if (!spec->takes_value) {
      o.enable_stack_trace = true;
      continue;
    }
    if (value.empty()) {
      if (i + 1 >= argc) {
        return Status::InvalidArgument("option " + std::string(arg) + " needs a value");
      }
      value = argv[++i];
    }
    switch (spec->short_name) {
      case 'i':
        o.java_in_pipe = value;
        break;
      case 'o':
        o.java_out_pipe = value;
        break;
      case 'c':
        o.configuration_hex = value;
        break;
      case 'k':
        o.kinesis_credentials_hex = value;
        break;
      case 'w':
        o.cloudwatch_credentials_hex = value;
        break;
      case 'l':
        o.log_level = value;
        break;
      case 'a':
        o.ca_path = value;
        break;
      default: {
        uint64_t ms = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
        if (ec != std::errc() || end != value.data() + value.size() || ms > kMaxCloseTimeoutMs) {
          return Status::InvalidArgument("--close-timeout-ms: \"" + std::string(value) +
                                         "\" is not a number of milliseconds from 0 to " +
                                         std::to_string(kMaxCloseTimeoutMs));
        }
        o.close_timeout = std::chrono::milliseconds(ms);
      }
    }
  }
  const std::pair<const std::string*, const char*> required[] = {
      {&o.java_in_pipe, "-i (--input-pipe)"},
      {&o.java_out_pipe, "-o (--output-pipe)"},
      {&o.configuration_hex, "-c (--configuration)"},
      {&o.kinesis_credentials_hex, "-k (--kinesis-credentials)"},
  };
  for (const auto& [field, name] : required) {
    if (field->empty())
      return Status::InvalidArgument(std::string("option ") + name + " is required");
  }
  return o;
}

}  // namespace kinesis::kpl
