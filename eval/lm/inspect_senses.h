// `inspect senses`: how well a language model's contextual vectors tell the
// senses of an ambiguous word apart, layer by layer ("bank" of a river vs a
// bank that lends money).
//
// From a corpus, every line where the word occurs with cue words of exactly one
// sense in its left context (the window the causal model sees: up to
// context()-1 tokens before the word) becomes an example of that sense; each
// sense keeps as many examples as the rarest one has (at most `max_per_sense`),
// so chance is 1 / senses. With `hide_cues` every cue word in the window
// becomes <unk>, so that only the rest of the context can tell.
//
// Each example's vector at layer l is the residual stream at the word's
// position. Vectors are centred on the mean of all examples (the residual
// stream has a large shared component), then compared by cosine distance: the
// leave-one-out nearest-centroid accuracy (ties share the credit) and the mean
// silhouette (Rousseeuw 1987). Two baselines on the same windows: the static
// vector (the word's input embedding, the same everywhere: chance by
// construction) and the mean skip-gram vector of the window's context words, a
// bag of words that sees exactly what the transformer sees (hidden cues
// included as <unk>, which has no vector).
//
//   SensesOptions o{.word = "bank", .senses = {{"river", {"river", "shore"}},
//   {"money", {"loan"}}}}; ASSIGN_OR_RETURN(SensesReport r, InspectSenses(lm,
//   "text.gz", &skipgram_vectors, o));
#ifndef WORDSPACE_EVAL_LM_INSPECT_SENSES_H_
#define WORDSPACE_EVAL_LM_INSPECT_SENSES_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"
#include "eval/vectors/pca.h"
#include "transformer/language_model.h"

namespace wordspace::eval {

struct Sense {
  std::string name;
  std::vector<std::string> cues;
};

// A sense from its command-line spelling "NAME=cue,cue,..." (empty cues are skipped).
// InvalidArgument "--sense 'SPEC' is not NAME=cue,cue,..." for anything else.
[[nodiscard]] absl::StatusOr<Sense> ParseSense(const std::string& spec);

struct SensesOptions {
  std::string word;
  std::vector<Sense> senses;  // at least two
  int max_per_sense = 300;
  bool hide_cues = false;
  int64_t max_lines = 0;  // lines read at most (0: the whole corpus)
  int examples_kept = 3;  // example windows kept per sense for display
  // Called now and then while the corpus is read (reading a large corpus to the end takes
  // seconds): the fraction of the file read (0 when unknown), the lines read, and the lines
  // found so far for each sense. Reading stops early once every sense has max_per_sense.
  std::function<void(double fraction, int64_t lines_read, std::span<const int> found)> progress;
};

struct SenseSummary {
  std::string name;
  std::vector<std::string> cues;          // in the vocabulary
  std::vector<std::string> missing_cues;  // not in the vocabulary (never matched)
  int found = 0;                          // qualifying lines in the corpus read
  int used = 0;                           // examples used (the balanced count)
  std::vector<std::string> examples;      // a few windows, as text
};

struct Separation {
  double accuracy = 0;    // leave-one-out nearest centroid, in [0, 1]
  double silhouette = 0;  // in [-1, 1]
};

struct SensesLayer {
  int layer = 0;  // 0: embeddings (wte + wpe); l: after block l-1
  Separation separation;
  Projection pca;  // 2-D, for the picture
};

struct SensesReport {
  std::string word;
  std::vector<SenseSummary> senses;
  std::vector<int> labels;  // per example, the sense index
  std::vector<SensesLayer> layers;
  Separation static_vector;
  Separation bag_of_words;
  Projection bag_of_words_pca;
  std::string bag_of_words_source;  // the vector file, or "model input embeddings"
  double chance = 0;
  bool hide_cues = false;
  int64_t lines_read = 0;
  int64_t hidden_cue_tokens = 0;  // cue tokens replaced by <unk> (hide_cues)
};

// Accuracy and silhouette of labelled vectors (n × d row-major) as described
// above.
Separation SeparateLabels(std::span<const float> values, int n, int d, std::span<const int> labels,
                          int classes);

// `bag_of_words` may be null: the model's own input embeddings serve then.
// NotFound/DataLoss from reading the corpus; InvalidArgument for fewer than two
// senses, a word outside the vocabulary, a sense without cues in the
// vocabulary, or a sense with no example found.
[[nodiscard]] absl::StatusOr<SensesReport> InspectSenses(
    transformer::LanguageModel& lm, const std::string& corpus_path,
    const embeddings::WordVectors* bag_of_words, const SensesOptions& options);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_INSPECT_SENSES_H_
