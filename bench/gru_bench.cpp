#include "bench/gru_bench_main.hpp"

int main(int argc, char** argv) {
  return grutape::bench::gru_bench_main(argc, argv);
}
