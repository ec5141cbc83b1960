// libFuzzer target for the model-file and checkpoint loaders: any bytes must load or be refused
// with a grutape::Error. Any other exception escapes and aborts, which the fuzzer reports, as it
// reports crashes, leaks and sanitizer findings. Built only with -DGRUTAPE_FUZZ=ON and clang;
// scripts/fuzz builds and runs it.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "layers/serialization/model_file.hpp"
#include "optim/training/checkpoint.hpp"

// A hand-edited architecture may ask for more memory than a fuzzing machine has: allocations
// above 512 MiB fail (operator new throws std::bad_alloc), which the loader reports as an
// IoError, instead of ending the run.
extern "C" const char* __asan_default_options() {
  return "allocator_may_return_null=1:max_allocation_size_mb=512";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    grutape::parse_model(bytes, "fuzz input");
  } catch (const grutape::Error&) {
  }
  try {
    grutape::parse_checkpoint(bytes, "fuzz input");
  } catch (const grutape::Error&) {
  }
  return 0;
}
