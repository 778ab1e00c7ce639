// kinesis-sim over TLS with a CA and server certificate made by the test: a client that trusts
// the CA is served; one that does not fails verification.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include "raw_client.h"
#include "sim/kinesis_sim.h"
#include "sim/test_certificates.h"

namespace kinesis::sim::testing {
namespace {

class SimTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/kinesis-sim-tls-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    auto certs = GenerateTestCertificates(dir_);
    ASSERT_TRUE(certs.ok()) << certs.status().ToString();
    certs_ = *certs;
    SimOptions options;
    options.tls_cert_file = certs_.cert_file;
    options.tls_key_file = certs_.key_file;
    options.streams = {{"s", 2}};
    auto sim = KinesisSim::Start(options);
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    sim_ = std::move(*sim);
  }
  void TearDown() override {
    sim_.reset();
    for (const std::string& f : {certs_.ca_file, certs_.cert_file, certs_.key_file}) unlink(f.c_str());
    rmdir(dir_.c_str());
  }

  std::string dir_;
  TestCertificates certs_;
  std::unique_ptr<KinesisSim> sim_;
};

TEST_F(SimTlsTest, VerifiedClientIsServedOverKeepAlive) {
  EXPECT_EQ(sim_->endpoint().substr(0, 8), "https://");
  RawClient client(sim_->port(), certs_.ca_file);
  RawResponse r = client.Call("ListStreams", "{}");
  ASSERT_EQ(r.status, 200) << r.error;
  std::string big = "{\"StreamName\":\"s\",\"Records\":[";
  for (int i = 0; i < 300; ++i) {
    big += std::string(i ? "," : "") + "{\"Data\":\"" + std::string(4000, 'A') +
           "\",\"PartitionKey\":\"k" + std::to_string(i) + "\"}";
  }
  big += "]}";
  r = client.Call("PutRecords", big);
  ASSERT_EQ(r.status, 200) << r.error << r.body.substr(0, 200);
  EXPECT_EQ(sim_->Counters().records_accepted, 300u);
}

TEST_F(SimTlsTest, ClientWithoutTheCaFailsVerification) {
  RawClient client(sim_->port(), "");
  RawResponse r = client.Call("ListStreams", "{}");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("verify"), std::string::npos) << r.error;
  EXPECT_EQ(sim_->Counters().requests, 0u);
}

TEST_F(SimTlsTest, BadCertificateFilesFailAtStart) {
  SimOptions options;
  options.tls_cert_file = dir_ + "/missing.pem";
  options.tls_key_file = certs_.key_file;
  auto sim = KinesisSim::Start(options);
  ASSERT_FALSE(sim.ok());
  EXPECT_NE(sim.status().message().find("missing.pem"), std::string::npos);
}

}  // namespace
}  // namespace kinesis::sim::testing
