// The classic skip-gram loop for AVX2 + FMA (skip_gram_classic.h). The whole unit is compiled
// for Haswell (embeddings/CMakeLists.txt) and runs only when base's ActiveIsa() is avx2 or wider.
#if defined(__x86_64__) || defined(__i386__)
#define WORDSPACE_ISA_LEVEL Avx2
#include "embeddings/skip_gram_classic_variant.inc"
#endif
