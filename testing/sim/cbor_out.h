// What kinesis-sim writes for CBOR requests (Content-Type application/x-amz-cbor-1.1) beyond
// the put answers (put_answer.h): the content type and error bodies, as json_out.h does for
// JSON. The encoding itself is common/cbor_writer.h.
//
// Thread safety: pure functions.
#ifndef KINESIS_SIM_CBOR_OUT_H_
#define KINESIS_SIM_CBOR_OUT_H_

#include <string>
#include <string_view>

namespace kinesis::sim {

inline constexpr std::string_view kCborContentType = "application/x-amz-cbor-1.1";

// `{"__type": TYPE, "message": MESSAGE}`, as the service shapes its CBOR errors.
std::string CborErrorBody(std::string_view type, std::string_view message);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_CBOR_OUT_H_
