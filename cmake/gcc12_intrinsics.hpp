// Included first in every translation unit by g++ 12 and older (CMakeLists.txt, -include).
//
// GCC 12's avx512fintrin.h and avxintrin.h define _mm512_undefined_pd() and its kin from a
// variable initialised with itself (`__m512d __Y = __Y;`). Wherever xsimd's max, min, ... inline
// one of them, -Wmaybe-uninitialized reports `'__Y' may be used uninitialized`: some 580 times in
// a Release build with -march=native, and -Wuninitialized `'__Y' is used uninitialized` where more
// code is inlined together, as in a unity build (GCC bug 105593; GCC 13 puts this same pragma
// inside those headers). The pragma covers only the text of the intrinsics headers, so warnings in
// grutape's own code still show. It must see their first inclusion, before xsimd or oneTBB (which
// includes <immintrin.h> for _mm_pause) does: hence a forced include, not an include in sources.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
