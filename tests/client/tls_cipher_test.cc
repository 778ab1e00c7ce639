// The transport offers AES-128-GCM first in TLS 1.3 (a fifth less CPU per byte than AES-256,
// which OpenSSL's default order puts first). Seen from outside: against kinesis-sim over TLS,
// which takes the client's order, the connection's secrets (curl writes them where
// SSLKEYLOGFILE says) are SHA-256 sized, 32 bytes, as TLS_AES_128_GCM_SHA256's are;
// TLS_AES_256_GCM_SHA384's are 48. Alone in its process: curl reads SSLKEYLOGFILE once.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <sstream>
#include <string>

#include "http/curl_transport.h"
#include "sim/kinesis_sim.h"
#include "sim/test_certificates.h"

namespace kinesis {
namespace {

TEST(TlsCipher, Aes128GcmIsOfferedFirst) {
  char dir[] = "/tmp/kp-tls-cipher-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string keylog = std::string(dir) + "/keys.log";
  ASSERT_EQ(setenv("SSLKEYLOGFILE", keylog.c_str(), 1), 0);  // before curl starts
  auto certs = sim::GenerateTestCertificates(dir);
  ASSERT_TRUE(certs.ok()) << certs.status().ToString();
  sim::SimOptions options;
  options.tls_cert_file = certs->cert_file;
  options.tls_key_file = certs->key_file;
  auto sim = sim::KinesisSim::Start(options);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();

  http::CurlTransportOptions transport_options;
  transport_options.ca_file = certs->ca_file;
  auto transport = http::CurlTransport::Create(transport_options);
  ASSERT_TRUE(transport.ok()) << transport.status().ToString();
  http::HttpRequest request;
  request.url = (*sim)->endpoint() + "/";
  request.body = "{}";
  std::promise<Result<http::HttpResponse>> answered;
  (*transport)->Send(std::move(request), [&](Result<http::HttpResponse> r) {
    answered.set_value(std::move(r));
  });
  Result<http::HttpResponse> response = answered.get_future().get();
  ASSERT_TRUE(response.ok()) << response.status().ToString();  // any HTTP answer: TLS worked
  transport->reset();

  std::ifstream in(keylog);
  std::string line;
  int secrets = 0;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string label, client_random, secret;
    words >> label >> client_random >> secret;
    if (label != "CLIENT_TRAFFIC_SECRET_0") continue;
    ++secrets;
    EXPECT_EQ(secret.size(), 64u) << "a 32-byte secret (SHA-256 suite) expected: " << line;
  }
  EXPECT_EQ(secrets, 1) << "curl wrote no TLS 1.3 traffic secret to " << keylog;
  sim->reset();
  for (const std::string& f : {certs->ca_file, certs->cert_file, certs->key_file, keylog}) {
    unlink(f.c_str());
  }
  rmdir(dir);
}

}  // namespace
}  // namespace kinesis
