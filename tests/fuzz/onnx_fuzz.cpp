// libFuzzer target for the ONNX importer: any bytes must give a model or be refused with a
// grutape::Error. Any other exception escapes and aborts, which the fuzzer reports, as it reports
// crashes, leaks and sanitizer findings. Built with -DGRUTAPE_FUZZ=ON, clang and ONNX; seed
// corpus in tests/fuzz/corpus/onnx (written by make_onnx_corpus, replayed by onnx_corpus_test).

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "layers/onnx/onnx.hpp"

// An edited dims field may ask for more memory than a fuzzing machine has: allocations above
// 512 MiB fail (operator new throws std::bad_alloc) instead of ending the run.
extern "C" const char* __asan_default_options() {
  return "allocator_may_return_null=1:max_allocation_size_mb=512";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    grutape::parse_onnx(bytes, "fuzz input");
  } catch (const grutape::Error&) {
  }
  return 0;
}
