// The classic skip-gram loop for the compiler's baseline (skip_gram_classic.h): the reference
// level, which every CPU runs.
#include "embeddings/skip_gram_classic.h"

#define WORDSPACE_ISA_LEVEL Portable
#include "embeddings/skip_gram_classic_variant.inc"
