#include "common/cpu_features.h"

#include <gtest/gtest.h>

namespace kinesis {
namespace {

#if defined(__x86_64__)
// CPUID and XGETBV read by hand agree with the compiler's own detection (libgcc's or
// compiler-rt's __cpu_model, which also checks that the OS saves the registers).
TEST(CpuFeaturesTest, AgreesWithTheCompilersDetection) {
  __builtin_cpu_init();
  const CpuFeatures& cpu = Cpu();
  EXPECT_EQ(cpu.avx2, __builtin_cpu_supports("avx2") != 0);
  EXPECT_EQ(cpu.avx512f, __builtin_cpu_supports("avx512f") != 0);
  EXPECT_EQ(cpu.avx512bw, __builtin_cpu_supports("avx512bw") != 0);
  EXPECT_EQ(cpu.avx512vl, __builtin_cpu_supports("avx512vl") != 0);
  EXPECT_EQ(cpu.avx512vbmi, __builtin_cpu_supports("avx512vbmi") != 0);
  // AVX-512 without AVX2 would be a detection error: every CPU with it has AVX2.
  if (cpu.avx512f) {
    EXPECT_TRUE(cpu.avx2);
  }
}
#endif

TEST(CpuFeaturesTest, ComputedOnce) { EXPECT_EQ(&Cpu(), &Cpu()); }

}  // namespace
}  // namespace kinesis
