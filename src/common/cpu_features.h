// CpuFeatures: which x86-64 vector extensions this CPU and its operating system let the
// project's hand-vectorized code use (MD5 lanes, base64).
//
// Read with CPUID and XGETBV rather than __builtin_cpu_supports: that builtin reads
// __cpu_model, which GCC's libgcc and LLVM's compiler-rt keep hidden, but other runtimes
// (zig's, which builds the portable Python wheel) export, and clang then emits a relocation
// against it that a shared library cannot hold. A feature counts only when the operating
// system saves its registers (XCR0), as the builtin also checks.
//
// Thread safety: Cpu() from any thread (computed once).
#ifndef KINESIS_COMMON_CPU_FEATURES_H_
#define KINESIS_COMMON_CPU_FEATURES_H_

namespace kinesis {

struct CpuFeatures {
  bool avx2 = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool avx512vbmi = false;
};

// This machine's features (all false off x86-64).
const CpuFeatures& Cpu();

}  // namespace kinesis

#endif  // KINESIS_COMMON_CPU_FEATURES_H_
