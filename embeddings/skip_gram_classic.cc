// The classic skip-gram loop for the compiler's baseline (skip_gram_classic.h): the reference
// level, which every CPU runs.
#include "embeddings/skip_gram_classic.h"

#define WORDSPACE_CLASSIC_SENTENCE ClassicSentencePortable
#include "embeddings/skip_gram_classic_variant.inc"
