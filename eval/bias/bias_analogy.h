// Analogy probes for bias: for a pair (man, woman) and each probe word w, the answers to
//   forward:  man : w :: woman : ?     (man : doctor :: woman : ?)
//   reverse:  woman : w :: man : ?
// computed twice, with the three input words excluded from the answers (word2vec.c's and
// gensim's convention, used by Bolukbasi et al.) and included. Nissim, van Noord and van der Goot
// (2020, "Fair is Better than Sensational") showed that the excluded answer is often an artefact:
// with the inputs allowed, the best answer to man : doctor :: woman : ? is usually "doctor"
// itself, and "nurse" only appears because the query forbids it. Both columns side by side let a
// user see which case they are in.
//
//   ASSIGN_OR_RETURN(VectorIndex index, VectorIndex::Build(std::move(vectors), {}));
//   ASSIGN_OR_RETURN(BiasAnalogyReport r, RunBiasAnalogies(index, {"man", "woman"}, words, {}));
#ifndef WORDSPACE_EVAL_BIAS_BIAS_ANALOGY_H_
#define WORDSPACE_EVAL_BIAS_BIAS_ANALOGY_H_

#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "embeddings/vector_index.h"
#include "eval/bias/bias_words.h"

namespace wordspace::eval {

struct BiasAnalogyOptions {
  int k = 3;  // answers per question and mode
  embeddings::AnalogyMethod method = embeddings::AnalogyMethod::kAdd;
  bool case_sensitive = false;  // see LookupWord
};

struct BiasAnalogyProbe {
  std::string word;  // as spelt in the vectors
  int64_t row = -1;
  // forward: pair.first : word :: pair.second : ?; reverse: pair.second : word :: pair.first : ?
  std::vector<embeddings::Neighbor> forward_excluded, forward_included;
  std::vector<embeddings::Neighbor> reverse_excluded, reverse_included;
};

struct BiasAnalogyReport {
  WordPair pair;                        // as spelt in the vectors
  std::vector<BiasAnalogyProbe> probes;  // in the order given; missing words skipped
  std::vector<std::string> missing;     // probe words not in the vectors
  // Questions (forward and reverse, 2 per probe) whose best answer with inputs included is one
  // of the inputs, i.e. where the excluded answer exists only because of the exclusion.
  int included_answer_is_input = 0;
  int included_answer_is_probe = 0;     // ... and that input is the probe word itself
  int questions = 0;
};

// Runs the probes in four batched index calls. NotFound names a pair word that is missing (the
// probe words are only reported in `missing`); InvalidArgument when both pair words are the same
// row.
[[nodiscard]] absl::StatusOr<BiasAnalogyReport> RunBiasAnalogies(
    const embeddings::VectorIndex& index, const WordPair& pair,
    std::span<const std::string> words, const BiasAnalogyOptions& options);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_BIAS_BIAS_ANALOGY_H_
