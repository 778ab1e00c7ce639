#include "common/cbor_writer.h"

namespace kinesis {

void AppendCborHead(std::string* out, CborMajor major, uint64_t argument) {
  auto initial = static_cast<uint8_t>(static_cast<uint8_t>(major) << 5);
  if (argument < 24) {
    out->push_back(static_cast<char>(initial | argument));
    return;
  }
  int bytes = argument <= 0xFF ? 1 : argument <= 0xFFFF ? 2 : argument <= 0xFFFFFFFFull ? 4 : 8;
  uint8_t info = bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27;
  out->push_back(static_cast<char>(initial | info));
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>(argument >> (8 * i)));
}

void AppendCborText(std::string* out, std::string_view text) {
  AppendCborHead(out, CborMajor::kText, text.size());
  out->append(text);
}

void AppendCborBytes(std::string* out, std::string_view bytes) {
  AppendCborHead(out, CborMajor::kBytes, bytes.size());
  out->append(bytes);
}

void AppendCborField(std::string* out, std::string_view key, std::string_view value) {
  AppendCborText(out, key);
  AppendCborText(out, value);
}

}  // namespace kinesis
