// GenerateTestCertificates: a throw-away certificate authority and a server certificate it
// signed (for 127.0.0.1 and localhost), so clients can test TLS with verification on.
//
// Thread safety: call from any thread; files are written once.
#ifndef KINESIS_SIM_TEST_CERTIFICATES_H_
#define KINESIS_SIM_TEST_CERTIFICATES_H_

#include <string>

#include "kinesis/status.h"

namespace kinesis::sim {

struct TestCertificates {
  std::string ca_file;    // PEM certificate of the CA: what clients trust
  std::string cert_file;  // PEM server certificate (SAN IP:127.0.0.1, DNS:localhost)
  std::string key_file;   // PEM server private key
};

// Writes ca.pem, server.pem and server.key into `dir` (which must exist); EC P-256 keys,
// valid from one hour ago for 30 days.
Result<TestCertificates> GenerateTestCertificates(const std::string& dir);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_TEST_CERTIFICATES_H_
