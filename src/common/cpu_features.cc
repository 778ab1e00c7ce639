#include "common/cpu_features.h"

#include <cstdint>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace kinesis {
namespace {

#if defined(__x86_64__)
bool Bit(uint32_t word, int bit) { return ((word >> bit) & 1u) != 0; }

// XCR0, the register state the operating system saves on a context switch.
uint64_t Xcr0() {
  uint32_t low = 0;
  uint32_t high = 0;
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return (static_cast<uint64_t>(high) << 32) | low;
}

CpuFeatures Detect() {
  CpuFeatures f;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return f;
  // OSXSAVE (leaf 1, ECX bit 27): XGETBV is there and the OS manages the extended state.
  if (!Bit(ecx, 27) || !Bit(ecx, 28)) return f;  // and AVX itself (bit 28)
  const uint64_t xcr0 = Xcr0();
  const bool ymm = (xcr0 & 0x6) == 0x6;    // SSE and AVX state (XMM, upper YMM)
  const bool zmm = (xcr0 & 0xe6) == 0xe6;  // and opmask, upper ZMM0-15, ZMM16-31
  if (!ymm || __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return f;
  f.avx2 = Bit(ebx, 5);
  if (zmm) {
    f.avx512f = Bit(ebx, 16);
    f.avx512bw = Bit(ebx, 30);
    f.avx512vl = Bit(ebx, 31);
    f.avx512vbmi = Bit(ecx, 1);
  }
  return f;
}
#else
CpuFeatures Detect() { return {}; }
#endif

}  // namespace

const CpuFeatures& Cpu() {
  static const CpuFeatures features = Detect();
  return features;
}

}  // namespace kinesis
