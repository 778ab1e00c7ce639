// Test helper: a byte string written as a list of byte values, for hand-made CBOR.
#ifndef KINESIS_SIM_CBOR_TEST_BYTES_H_
#define KINESIS_SIM_CBOR_TEST_BYTES_H_

#include <initializer_list>
#include <string>

namespace kinesis::sim::testing {

inline std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

}  // namespace kinesis::sim::testing

#endif  // KINESIS_SIM_CBOR_TEST_BYTES_H_
