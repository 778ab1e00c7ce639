// The kinesis-sim program as scripts/backends starts it (FIXTURES kinesis_sim): it answers the
// Kinesis protocol and its control API on the port the script wrote.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "raw_client.h"

namespace kinesis::sim::testing {
namespace {

uint16_t SimPort() {
  const char* dir = std::getenv("KP_BACKEND_DIR");
  if (!dir) return 0;
  std::ifstream in(std::string(dir) + "/kinesis_sim.port");
  int port = 0;
  in >> port;
  return static_cast<uint16_t>(port);
}

TEST(SimProgramTest, ServesKinesisAndControlApi) {
  uint16_t port = SimPort();
  ASSERT_NE(port, 0) << "no $KP_BACKEND_DIR/kinesis_sim.port";
  RawClient client(port);
  std::string name = "program-" + std::to_string(std::rand());
  RawResponse r = client.Call("CreateStream", "{\"StreamName\":\"" + name + "\",\"ShardCount\":2}");
  ASSERT_EQ(r.status, 200) << r.error << r.body;
  r = client.Call("PutRecord", "{\"StreamName\":\"" + name +
                                   "\",\"Data\":\"aGk=\",\"PartitionKey\":\"k\"}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonString(r.body, "SequenceNumber").size(), 56u);
  r = client.Send("GET", "/_sim/records?stream=" + name, "", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(JsonString(r.body, "Data"), "aGk=");
  r = client.Send("GET", "/_sim/counters", "", "");
  EXPECT_NE(r.body.find("\"records_accepted\":"), std::string::npos);
}

}  // namespace
}  // namespace kinesis::sim::testing
