// BodyBuffers: a body given back is taken again as it was, buffer and size; small and huge
// bodies are not kept; at most kKeep are.
#include "http/body_buffers.h"

#include <gtest/gtest.h>

#include <vector>

namespace kinesis::http {
namespace {

TEST(BodyBuffers, AGivenBodyComesBackWithItsBuffer) {
  while (BodyBuffers::Kept() > 0) BodyBuffers::Take();
  std::string body(1 << 20, 'x');
  const char* buffer = body.data();
  BodyBuffers::Give(std::move(body));
  EXPECT_EQ(BodyBuffers::Kept(), 1u);
  std::string again = BodyBuffers::Take();
  EXPECT_EQ(again.size(), size_t{1} << 20);  // the caller replaces its bytes
  EXPECT_EQ(again.data(), buffer);
  EXPECT_EQ(BodyBuffers::Kept(), 0u);
  EXPECT_EQ(BodyBuffers::Take().capacity(), std::string().capacity());  // none kept: a new one
}

TEST(BodyBuffers, KeepsOnlyBodiesWorthKeepingAndAtMostKKeep) {
  while (BodyBuffers::Kept() > 0) BodyBuffers::Take();
  BodyBuffers::Give(std::string(100, 'x'));
  BodyBuffers::Give(std::string(BodyBuffers::kMaxCapacity + 1, 'x'));
  EXPECT_EQ(BodyBuffers::Kept(), 0u);
  for (size_t i = 0; i < BodyBuffers::kKeep + 5; ++i) BodyBuffers::Give(std::string(8192, 'x'));
  EXPECT_EQ(BodyBuffers::Kept(), BodyBuffers::kKeep);
  while (BodyBuffers::Kept() > 0) BodyBuffers::Take();
}

}  // namespace
}  // namespace kinesis::http
