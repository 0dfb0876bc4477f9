// Explorer: the JSON API of `wordspace serve`, without the HTTP around it. Each endpoint takes
// the query parameters of a GET request, validates every one (names, counts, lengths, numeric
// bounds) and answers with a status and a JSON body in the keys of the matching command's
// --json output (README, "JSON keys"; "The web explorer" lists the endpoints). The work is done
// by the library calls the commands make (VectorIndex, eval::MapWords, eval::ProbeDirection,
// the inspect studies); nothing here computes on its own.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Explorer> explorer,
//                    Explorer::Create(std::move(vectors), std::move(lm), {.vectors_label = "v.bin"}));
//   ApiReply r = explorer->Handle("/api/neighbors", {{"q", "cat"}, {"k", "5"}});
//   // r.status == 200; r.body["answers"][0]["word"] ...
//   // 400 with {"error": "..."} for a bad parameter, 404 for an unknown word or endpoint.
//
// Thread safety: Handle may be called from several threads at once. Vector queries run in
// parallel; the language model is not safe for concurrent calls, so its queries take turns on
// one mutex (each is a single forward pass over at most context() tokens).
#ifndef WORDSPACE_SERVE_EXPLORER_H_
#define WORDSPACE_SERVE_EXPLORER_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "embeddings/vector_index.h"
#include "embeddings/word_vectors.h"
#include "transformer/language_model.h"

namespace wordspace::serve {

// A request's query parameters, in order; a name may repeat (httplib::Params is this type).
using ApiParams = std::multimap<std::string, std::string>;

struct ApiReply {
  int status = 200;  // 200, or 400 (bad parameter), 404 (unknown word or endpoint), 500
  Json body;         // the answer, or {"error": MESSAGE} (with "query" where one was asked)
};

struct ExplorerOptions {
  std::string vectors_label;  // the vector file's name as given, echoed as "vectors"
  std::string model_label;    // the checkpoint's name as given, echoed as "model"
};

// Bounds on what one request may ask for, so that no request can take long or much memory.
inline constexpr size_t kMaxWordBytes = 100;   // a word, a prefix or an expression term
inline constexpr size_t kMaxQueryBytes = 300;  // a neighbours expression
inline constexpr size_t kMaxTextBytes = 500;   // a sentence for the language model
inline constexpr int kMaxWords = 20;           // words in a list (map, bias)
inline constexpr int kMaxPairs = 10;           // definitional pairs of a bias direction
inline constexpr int kMaxTexts = 4;            // sentences of /api/lm/context
inline constexpr int kMaxK = 100;              // answers listed

class Explorer {
 public:
  Explorer(const Explorer&) = delete;
  Explorer& operator=(const Explorer&) = delete;

  // `vectors` as read from the file (the map and the bias probe use them; the exact (Flat)
  // index built here keeps its own unit rows); `lm` optional. InvalidArgument as
  // VectorIndex::Build.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Explorer>> Create(
      embeddings::WordVectors vectors, std::optional<transformer::LanguageModel> lm,
      ExplorerOptions options);

  // Answers GET `path` ("/api/neighbors", ...) with `params`.
  ApiReply Handle(std::string_view path, const ApiParams& params);

  // The endpoints Handle answers ("/api/info", ...), the /api/lm/ ones only with a model.
  std::vector<std::string> Endpoints() const;
  bool has_model() const { return lm_.has_value(); }

 private:
  Explorer(embeddings::WordVectors vectors, embeddings::VectorIndex index,
           std::optional<transformer::LanguageModel> lm, ExplorerOptions options);

  struct Route;
  static const Route kRoutes[];

  ApiReply Info(const ApiParams& params);
  ApiReply Complete(const ApiParams& params);
  ApiReply Neighbors(const ApiParams& params);
  ApiReply Analogy(const ApiParams& params);
  ApiReply Map(const ApiParams& params);
  ApiReply Bias(const ApiParams& params);
  ApiReply LmNext(const ApiParams& params);
  ApiReply LmAttention(const ApiParams& params);
  ApiReply LmLens(const ApiParams& params);
  ApiReply LmContext(const ApiParams& params);

  embeddings::WordVectors vectors_;  // as read: the map's PCA and the bias probe use them
  embeddings::VectorIndex index_;    // unit rows: neighbours, analogies, completion
  std::optional<transformer::LanguageModel> lm_;
  std::mutex lm_mu_;  // the model owns activation buffers: one call at a time
  bool lowercase_vocabulary_ = false;  // eval::IsLowercaseVocabulary(*lm_), once
  ExplorerOptions options_;
};

}  // namespace wordspace::serve

#endif  // WORDSPACE_SERVE_EXPLORER_H_
