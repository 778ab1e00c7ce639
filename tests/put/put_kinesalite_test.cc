// kinesis-put against kinesalite (a Kinesis server we did not write), read back with the AWS
// SDK for JavaScript and deaggregated by aws-kinesis-agg (node/read-stream.js).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include "put_harness.h"

namespace kinesis::put_test {
namespace {

int Shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(PutKinesaliteTest, ClickStreamReadBackByTheAwsSdk) {
  const char* backends = std::getenv("KP_BACKEND_DIR");
  ASSERT_NE(backends, nullptr);
  std::string port = ReadFile(std::string(backends) + "/kinesalite.port");
  ASSERT_FALSE(port.empty());
  port.pop_back();  // the newline
  std::string endpoint = "http://127.0.0.1:" + port;
  std::string node = std::string(KP_NODE) + " " + KP_SOURCE_DIR + "/node/";
  char pattern[] = "/tmp/kinesis-put-kinesalite-XXXXXX";
  std::string dir = mkdtemp(pattern);
  ASSERT_EQ(Shell(node + "create-stream.js " + endpoint + " put-clicks 3"), 0);

  std::string input;
  for (int i = 0; i < 3000; ++i) {
    input += "{\"user_id\": \"user-" + std::to_string(i % 97) +
             "\", \"seq\": " + std::to_string(i) + "}\n";
  }
  WriteFile(dir + "/in.jsonl", input);
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  setenv("AWS_ACCESS_KEY_ID", "AKIDPUTTEST", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "put-test-secret", 1);
  ASSERT_EQ(Shell(std::string(KINESIS_PUT_BINARY) + " --stream put-clicks --endpoint " + endpoint +
                  " --region us-east-1 --format jsonl --partition-key-field user_id " + dir +
                  "/in.jsonl 2>" + dir + "/err.txt"),
            0)
      << ReadFile(dir + "/err.txt");
  ASSERT_EQ(Shell(node + "read-stream.js " + endpoint + " put-clicks " + dir + "/read.jsonl"), 0);

  // read.jsonl: one object per user record with partitionKey and data (hex); count them by
  // their (key, hex) pair and compare with the input.
  std::map<std::string, int> read;
  std::ifstream in(dir + "/read.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    auto field = [&](const std::string& name) {
      size_t at = line.find("\"" + name + "\":\"") + name.size() + 4;
      return line.substr(at, line.find('"', at) - at);
    };
    ++read[field("partitionKey") + " " + field("data")];
  }
  std::map<std::string, int> sent;
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t at = 0, nl; (nl = input.find('\n', at)) != std::string::npos; at = nl + 1) {
    std::string text = input.substr(at, nl - at), hex;
    for (unsigned char c : text) hex += {kHex[c >> 4], kHex[c & 15]};
    std::string key = text.substr(13, text.find('"', 13) - 13);
    ++sent[key + " " + hex];
  }
  EXPECT_EQ(read.size(), 3000u);
  EXPECT_EQ(read, sent);
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace kinesis::put_test
