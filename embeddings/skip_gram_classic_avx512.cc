// The classic skip-gram loop for AVX-512F (skip_gram_classic.h). The whole unit is compiled for
// AVX-512F (embeddings/CMakeLists.txt) and runs only when base's ActiveIsa() is avx512.
#if defined(__x86_64__) || defined(__i386__)
#define WORDSPACE_ISA_LEVEL Avx512
#include "embeddings/skip_gram_classic_variant.inc"
#endif
