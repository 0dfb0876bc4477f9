// VectorIndex: nearest-neighbour, analogy and vector-arithmetic queries over a word-vector file.
//
// The index owns a copy of the vectors with every row L2-normalised, so that an inner product is
// a cosine. The rows live in a FAISS index built from an `index_factory` string: "Flat" (the
// default) is exact search (IndexFlatIP); "HNSW32", "IVF1024,PQ16", ... are approximate and are
// trained on the rows when the type needs training. `restrict` > 0 makes only the first
// `restrict` rows searchable (for our own files, the most frequent words); every row can still
// be a query. Row ids are the rows of the vector file.
//
// Queries are batched: Search and Analogy take many queries and answer them in one pass. For the
// exact index both use our own blocked inner-product kernel (compiled for AVX-512, AVX2+FMA and
// plain x86-64, chosen at run time), which does not depend on how the BLAS library detected the
// CPU; approximate indexes go through one FAISS search call. (WORDSPACE_KERNEL=faiss in the
// environment sends exact searches through FAISS too, for comparisons; =generic|avx2 caps the
// kernel's instruction set.)
//
//   ASSIGN_OR_RETURN(WordVectors vectors, ReadVectors("vectors.bin"));
//   ASSIGN_OR_RETURN(VectorIndex index, VectorIndex::Build(std::move(vectors), {}));
//   ASSIGN_OR_RETURN(std::vector<Neighbor> near, index.NeighborsOf("cat", 10));
//   ASSIGN_OR_RETURN(AnalogyResult r, index.Analogy("paris", "france", "berlin", {}));
//   // r.answers[0] is the best word d for paris : france :: berlin : d.
//   ASSIGN_OR_RETURN(Expression e, index.ParseExpression("biggest - big + small"));
//
// Thread safety: const methods may be called from several threads at once.
#ifndef WORDSPACE_EMBEDDINGS_VECTOR_INDEX_H_
#define WORDSPACE_EMBEDDINGS_VECTOR_INDEX_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "embeddings/exact_top_k.h"  // Neighbor
#include "embeddings/word_vectors.h"

namespace faiss {
struct Index;
}

namespace wordspace::embeddings {

enum class IndexBuildPhase { kTraining, kAdding };

struct IndexOptions {
  // A FAISS index_factory description, e.g. "Flat", "HNSW32", "IVF1024,PQ16". The metric is
  // always inner product.
  std::string factory = "Flat";
  // Only the first `restrict` rows are searchable (0: all rows).
  int64_t restrict = 0;
  // Threads for building and searching (0: all cores).
  int threads = 0;
  // FAISS search-time parameters for approximate indexes, as faiss::ParameterSpace takes them:
  // "efSearch=256" (HNSW), "nprobe=32" (IVF). Empty: efSearch=128 and nprobe=16, wider than
  // FAISS's defaults. Not part of a saved index.
  std::string search_params;
  // Called while the index is built: once before training an index that needs it (done 0 of
  // `total` training rows) and after each block of rows added. Building HNSW over 100k words
  // takes about a minute, so the caller can show a progress line. The blocks are the same with
  // or without a callback: --quiet never changes the index.
  std::function<void(IndexBuildPhase phase, int64_t done, int64_t total)> build_progress;
};

enum class AnalogyMethod {
  kAdd,  // 3CosAdd (Mikolov et al. 2013): argmax cos(d, b - a + c) over unit rows
  kMul,  // 3CosMul (Levy and Goldberg 2014): argmax cos'(d,b) cos'(d,c) / (cos'(d,a) + eps)
         // with cos' = (cos + 1) / 2
};

// "add"/"3cosadd" or "mul"/"3cosmul"; InvalidArgument otherwise.
[[nodiscard]] absl::StatusOr<AnalogyMethod> ParseAnalogyMethod(std::string_view name);

// a : b :: c : ?, as rows.
struct AnalogyQuestion {
  int64_t a = -1, b = -1, c = -1;
};

struct AnalogyOptions {
  AnalogyMethod method = AnalogyMethod::kAdd;
  int k = 1;  // answers per question
  // Drop a, b and c from the answers (word2vec.c and gensim do). With false the raw ranking is
  // returned, in which the answer is often one of the inputs (bias studies need to see that).
  bool exclude_inputs = true;
  // Levy and Goldberg's epsilon. gensim's most_similar_cosmul uses 1e-6.
  float mul_epsilon = 0.001f;
};

// A parsed "word [+|-] word ..." expression: unit rows with signs, and their unit-length sum.
struct Expression {
  std::vector<int64_t> rows;
  std::vector<float> signs;   // +1 or -1, one per row
  std::vector<float> vector;  // dim floats, L2-normalised sum of signs[i] * unit(rows[i])
                              // (and of the unseen words' unit n-gram vectors)
  std::vector<std::string> unseen;  // words outside the vocabulary, answered from n-grams
};

class VectorIndex {
 public:
  // Normalises the rows of `vectors` (all-zero rows stay zero) and builds the FAISS index.
  // InvalidArgument for a bad factory string or restrict; Internal for a FAISS failure.
  [[nodiscard]] static absl::StatusOr<VectorIndex> Build(WordVectors vectors,
                                                         const IndexOptions& options);

  // Loads an index written by Save for these `vectors`. The file's own checksum is verified
  // before FAISS reads a byte of it (DataLoss when it fails), and so is its header: a file made
  // for other vectors (count, dimension or content hash differ) is FailedPrecondition ("stale"),
  // one with another factory or restrict than `options` asks for is FailedPrecondition too
  // ("different index"). NotFound when `path` does not exist.
  [[nodiscard]] static absl::StatusOr<VectorIndex> Load(WordVectors vectors,
                                                        const std::string& path,
                                                        const IndexOptions& options);

  // Load when `path` holds a matching index; otherwise (missing, stale or a different index)
  // Build and Save to `path`, setting *note (if not null) to a line saying what happened.
  // A corrupt file (DataLoss) is reported, not overwritten.
  [[nodiscard]] static absl::StatusOr<VectorIndex> LoadOrBuild(WordVectors vectors,
                                                               const std::string& path,
                                                               const IndexOptions& options,
                                                               std::string* note = nullptr);

  // Writes the index atomically: a header (magic, version, vector count, dimension, content
  // hash of the vectors, factory, restrict), the FAISS index bytes and their checksum.
  [[nodiscard]] absl::Status Save(const std::string& path) const;

  VectorIndex(VectorIndex&&) noexcept;
  VectorIndex& operator=(VectorIndex&&) noexcept;
  ~VectorIndex();

  int64_t size() const { return vectors_.size(); }    // all rows (queries may use any row)
  int64_t searchable() const { return searchable_; }  // rows answers come from
  int dim() const { return vectors_.dim(); }
  // True when queries run on our exact kernel (a Flat index), false when they go to FAISS.
  bool exact() const { return exact_; }
  const IndexOptions& options() const { return options_; }
  // The L2-normalised vectors.
  const WordVectors& vectors() const { return vectors_; }
  const std::string& word(int64_t row) const { return vectors_.word(row); }
  // Row of `word` (exact spelling), or -1.
  int64_t Find(std::string_view word) const { return vectors_.Find(word); }
  // Row of `word`, or NotFound "'word' is not in the vocabulary; did you mean: x, y?" (the
  // closest spellings, case-insensitive matches first: corpus::SuggestSpellings).
  [[nodiscard]] absl::StatusOr<int64_t> Lookup(std::string_view word) const;
  // Up to `max` vocabulary words within edit distance 2 of `word` (case folded), closest and
  // most frequent first.
  std::vector<std::string> Suggest(std::string_view word, int max = 5) const;

  // The k best rows for each of `queries.size() / dim()` query vectors (row-major; they need not
  // be unit length: scores are cosines). `exclude`, when not empty, has one list per query of
  // rows never to return. Answers are sorted by descending score; ties go to the lower row.
  // Fewer than k answers only when fewer rows are searchable. An approximate index is asked for
  // max(2k, k+10) candidates (plus the excluded rows), which are ranked by exact cosine.
  [[nodiscard]] absl::StatusOr<std::vector<std::vector<Neighbor>>> Search(
      std::span<const float> queries, int k,
      std::span<const std::vector<int64_t>> exclude = {}) const;

  // The k nearest neighbours of `word`, without `word` itself. NotFound as Lookup.
  [[nodiscard]] absl::StatusOr<std::vector<Neighbor>> NeighborsOf(std::string_view word,
                                                                  int k) const;

  // Parses "biggest - big + small" (operators are separate tokens; a leading "-" is allowed;
  // a lone word is an expression too). InvalidArgument for a malformed expression, NotFound as
  // Lookup for an unknown word.
  // With `ngrams` and vectors that have them (a fastText model: WordVectors::NgramVector), a
  // word outside the vocabulary stands for its n-gram vector instead of being NotFound.
  [[nodiscard]] absl::StatusOr<Expression> ParseExpression(std::string_view text,
                                                           bool ngrams = false) const;
  // The k nearest rows to the expression, excluding the words in it.
  [[nodiscard]] absl::StatusOr<std::vector<Neighbor>> Evaluate(const Expression& expression,
                                                               int k) const;

  // Answers many analogy questions at once: for each question the k best rows d, sorted by
  // descending score, with ties to the lower row. `exclude`, when not empty, gives one list
  // per question of further rows never to answer (eval uses it for case variants of the
  // inputs). For 3CosAdd the score is cos(d, unit(b) - unit(a) + unit(c)).
  // On an approximate index the candidates come from a FAISS search for the 3CosAdd vector
  // (k + 3 + 50 of them) and are then ranked exactly by the chosen method.
  // InvalidArgument for a row out of range.
  [[nodiscard]] absl::StatusOr<std::vector<std::vector<Neighbor>>> Analogies(
      std::span<const AnalogyQuestion> questions, const AnalogyOptions& options,
      std::span<const std::vector<int64_t>> exclude = {}) const;

  // gensim's most_similar_cosmul for any number of terms: the k searchable rows d (never one in
  // `exclude`) with the highest prod_p s(d, p) / (prod_n s(d, n) + epsilon), s(d, t) =
  // (unit(d) . t + 1) / 2, for the `positive` and `negative` terms (rows of dim() floats, used
  // as given: unit vectors for words, as gensim passes them). Always exact: every searchable row
  // is scored, whatever the index type. InvalidArgument without a positive term or for k <= 0.
  [[nodiscard]] absl::StatusOr<std::vector<Neighbor>> CosMul(std::span<const float> positive,
                                                             std::span<const float> negative,
                                                             int k,
                                                             std::span<const int64_t> exclude,
                                                             float epsilon) const;

  // One question by words. NotFound (naming the word, with suggestions) for an unknown word.
  struct AnalogyResult {
    std::vector<Neighbor> answers;  // per options (inputs excluded unless exclude_inputs=false)
  };
  [[nodiscard]] absl::StatusOr<AnalogyResult> Analogy(std::string_view a, std::string_view b,
                                                      std::string_view c,
                                                      const AnalogyOptions& options) const;

 private:
  VectorIndex();
  // A FAISS index of options_.factory over the first searchable_ unit rows.
  [[nodiscard]] absl::StatusOr<std::unique_ptr<faiss::Index>> MakeFaiss() const;

  WordVectors vectors_;  // unit length
  IndexOptions options_;
  int64_t searchable_ = 0;
  bool exact_ = true;
  // Null for a Flat index built here and searched by our kernel: Save makes FAISS's copy.
  std::unique_ptr<faiss::Index> faiss_;
};

// The path where a command keeps the index for `vectors_path` built with `factory`:
// "<vectors_path>.<factory with ',' -> '_'>.faiss", or "....first<N>.faiss" for an index of
// only the first `max_rows` rows (eval-analogy's --restrict), so that commands reading all
// rows and commands reading a prefix each keep their own file instead of rebuilding the
// other's as stale.
std::string DefaultIndexPath(const std::string& vectors_path, const std::string& factory,
                             int64_t max_rows = 0);

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_VECTOR_INDEX_H_
