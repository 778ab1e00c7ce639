#include "sim/cbor_out.h"

#include "common/cbor_writer.h"

namespace kinesis::sim {

std::string CborErrorBody(std::string_view type, std::string_view message) {
  std::string out;
  AppendCborHead(&out, CborMajor::kMap, 2);
  AppendCborField(&out, "__type", type);
  AppendCborField(&out, "message", message);
  return out;
}

}  // namespace kinesis::sim
