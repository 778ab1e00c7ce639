// Reading query-protocol bodies back in tests: form decoding and PutMetricData datums.
#ifndef KINESIS_TESTS_MONITORING_QUERY_FORM_H_
#define KINESIS_TESTS_MONITORING_QUERY_FORM_H_

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinesis/metrics.h"

namespace kinesis::monitoring::testing {

using Form = std::map<std::string, std::string>;

inline std::string Decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

inline Form ParseForm(const std::string& body) {
  Form form;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find('&', pos);
    if (end == std::string::npos) end = body.size();
    std::string pair = body.substr(pos, end - pos);
    size_t eq = pair.find('=');
    EXPECT_NE(eq, std::string::npos) << pair;
    EXPECT_TRUE(form.emplace(Decode(pair.substr(0, eq)), Decode(pair.substr(eq + 1))).second)
        << "repeated " << pair;
    pos = end + 1;
  }
  return form;
}

// The datums of one body, by "name|dim=value|dim=value".
inline std::map<std::string, Form> Datums(const Form& form) {
  std::map<std::string, Form> by_index;
  for (const auto& [key, value] : form) {
    const std::string prefix = "MetricData.member.";
    if (key.rfind(prefix, 0) != 0) continue;
    size_t dot = key.find('.', prefix.size());
    by_index[key.substr(prefix.size(), dot - prefix.size())][key.substr(dot + 1)] = value;
  }
  std::map<std::string, Form> out;
  for (auto& [index, datum] : by_index) {
    std::string id = datum["MetricName"];
    for (int d = 1; datum.count("Dimensions.member." + std::to_string(d) + ".Name"); ++d) {
      std::string p = "Dimensions.member." + std::to_string(d);
      id += "|" + datum[p + ".Name"] + "=" + datum[p + ".Value"];
    }
    out[id] = datum;
  }
  return out;
}

inline std::string IdOf(const MetricValue& v,
                        const std::vector<std::pair<std::string, std::string>>& x) {
  std::string id = v.name;
  for (const auto& [k, val] : v.dimensions) id += "|" + k + "=" + val;
  for (const auto& [k, val] : x) id += "|" + k + "=" + val;
  return id;
}

}  // namespace kinesis::monitoring::testing

#endif  // KINESIS_TESTS_MONITORING_QUERY_FORM_H_
