// The --json forms of the inspection studies (`wordspace inspect attention|lens|context`), built
// in one place so that the command and the web server (serve/) answer in the same keys
// (README, "JSON keys"; the study's section lists them).
//
//   ASSIGN_OR_RETURN(AttentionMap map, InspectAttention(lm, window));
//   std::cout << Dump(AttentionJson(map, "model.lm")) << "\n";
#ifndef WORDSPACE_EVAL_LM_INSPECT_JSON_H_
#define WORDSPACE_EVAL_LM_INSPECT_JSON_H_

#include <string>
#include <vector>

#include "base/json.h"
#include "eval/lm/inspect_attention.h"
#include "eval/lm/inspect_context.h"
#include "eval/lm/inspect_lens.h"
#include "eval/lm/inspect_window.h"

namespace wordspace::eval {

// A ranked list: [{"word": W, "score": S}, ...]; the object that holds it (or one around it)
// names the score with "measure".
Json WordProbsJson(const std::vector<WordProb>& top);

// model (the checkpoint's name as given), tokens, layers, heads, weights[layer][head][query][key].
Json AttentionJson(const AttentionMap& map, const std::string& model);

// model, tokens, final_words, target (null without one), measure ("probability"), layers (each
// layer, positions: per position the top words, final_word_prob, and with a target target_rank
// and target_prob).
Json LensJson(const LensReport& lens, const std::string& model);

// model, word, sentences (text, tokens, position), measure ("cosine"), layers (each layer's
// name, cosines between the sentences, nearest: per sentence the nearest input embeddings).
Json ContextJson(const ContextReport& report, const std::string& model);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_INSPECT_JSON_H_
