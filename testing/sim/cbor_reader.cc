#include "sim/cbor_reader.h"

namespace kinesis::sim {
namespace {

constexpr uint8_t kBytes = 2;
constexpr uint8_t kText = 3;
constexpr uint8_t kArray = 4;
constexpr uint8_t kMap = 5;
constexpr uint8_t kTag = 6;
constexpr uint8_t kBreak = 0xFF;
constexpr uint8_t kIndefinite = 31;

}  // namespace

bool CborReader::ReadArgument(uint8_t info, uint64_t* value) {
  if (info < 24) {
    *value = info;
    return true;
  }
  if (info > 27) return Fail();  // 28..30 are reserved; 31 is handled by the callers
  size_t bytes = size_t{1} << (info - 24);
  if (in_.size() - pos_ < bytes) return Fail();
  uint64_t v = 0;
  for (size_t i = 0; i < bytes; ++i) v = v << 8 | static_cast<uint8_t>(in_[pos_ + i]);
  pos_ += bytes;
  *value = v;
  return true;
}

bool CborReader::ReadHead(Head* head) {
  for (;;) {
    if (pos_ >= in_.size()) return Fail();
    auto initial = static_cast<uint8_t>(in_[pos_++]);
    head->major = initial >> 5;
    uint8_t info = initial & 31;
    head->indefinite = info == kIndefinite;
    head->argument = 0;
    if (head->indefinite) {
      // Only strings and containers have an indefinite form; a break here stands alone.
      if (head->major < kBytes || head->major > kMap) return Fail();
      return true;
    }
    if (!ReadArgument(info, &head->argument)) return false;
    if (head->major != kTag) return true;
  }
}

bool CborReader::EnterContainer(uint8_t major, Container* container) {
  Head head;
  if (!ReadHead(&head)) return false;
  if (head.major != major) return Fail();
  container->indefinite = head.indefinite;
  container->remaining = head.argument;
  return true;
}

bool CborReader::EnterMap(Container* map) { return EnterContainer(kMap, map); }
bool CborReader::EnterArray(Container* array) { return EnterContainer(kArray, array); }

bool CborReader::Next(Container* container) {
  if (container->indefinite) {
    if (pos_ >= in_.size()) return Fail();
    if (static_cast<uint8_t>(in_[pos_]) != kBreak) return true;
    ++pos_;
    return false;
  }
  if (container->remaining == 0) return false;
  --container->remaining;
  return true;
}

bool CborReader::Chunks(uint8_t major, std::string_view* out) {
  size_t start = 0;
  if (out != nullptr) {
    if (!scratch_ready_) {
      scratch_->clear();
      scratch_->reserve(in_.size());
      scratch_ready_ = true;
    }
    start = scratch_->size();
  }
  for (;;) {
    if (pos_ >= in_.size()) return Fail();
    auto initial = static_cast<uint8_t>(in_[pos_++]);
    if (initial == kBreak) break;
    // Chunks are definite strings of the string's own major type, untagged.
    if ((initial >> 5) != major || (initial & 31) == kIndefinite) return Fail();
    uint64_t n = 0;
    if (!ReadArgument(initial & 31, &n)) return false;
    if (in_.size() - pos_ < n) return Fail();
    if (out != nullptr) scratch_->append(in_.data() + pos_, n);
    pos_ += n;
  }
  if (out != nullptr) *out = std::string_view(*scratch_).substr(start);
  return true;
}

bool CborReader::String(std::string_view* out) {
  Head head;
  if (!ReadHead(&head)) return false;
  if (head.major != kBytes && head.major != kText) return Fail();
  if (head.indefinite) return Chunks(head.major, out);
  if (in_.size() - pos_ < head.argument) return Fail();
  *out = in_.substr(pos_, head.argument);
  pos_ += head.argument;
  return true;
}

bool CborReader::Null() {
  while (pos_ < in_.size() && (static_cast<uint8_t>(in_[pos_]) >> 5) == kTag) {
    uint64_t tag = 0;
    if (!ReadArgument(static_cast<uint8_t>(in_[pos_++]) & 31, &tag)) return false;
  }
  if (pos_ >= in_.size()) return false;
  auto initial = static_cast<uint8_t>(in_[pos_]);
  if (initial != 0xF6 && initial != 0xF7) return false;  // null, undefined
  ++pos_;
  return true;
}

bool CborReader::SkipItem(int depth) {
  if (depth > kMaxDepth) return Fail();
  Head head;
  if (!ReadHead(&head)) return false;
  switch (head.major) {
    case kBytes:
    case kText:
      if (head.indefinite) return Chunks(head.major, nullptr);
      if (in_.size() - pos_ < head.argument) return Fail();
      pos_ += head.argument;
      return true;
    case kArray:
    case kMap: {
      Container container{head.argument, head.indefinite};
      int per_entry = head.major == kMap ? 2 : 1;
      while (Next(&container)) {
        for (int i = 0; i < per_entry; ++i) {
          if (!SkipItem(depth + 1)) return false;
        }
      }
      return !failed_;
    }
    default:  // integers, simple values and floats: the head was all of it
      return true;
  }
}

}  // namespace kinesis::sim
