// The pictures of the inspect studies and of `wordspace map`, as SVG documents (base/svg.h):
//   attention      a grid of heatmaps, layers down and heads across, words on both axes
//   heads          the head profiles as a heatmap, one row per head, one column per score
//   lens           layers × positions, each cell's top word, coloured by its probability
//   contributions  each update's direct effect on the target's logit, as bars
//   context        per layer, the sentences' cosine matrix
//   senses         per layer (and the bag of words), a 2-D PCA scatter coloured by sense
//   map            the words and their neighbours on the first two principal components
// Each has labelled axes and a colour scale or legend.
//
//   RETURN_IF_ERROR(LensSvg(report).WriteFile("lens.svg"));
#ifndef WORDSPACE_EVAL_LM_INSPECT_SVG_H_
#define WORDSPACE_EVAL_LM_INSPECT_SVG_H_

#include <vector>

#include "base/svg.h"
#include "eval/lm/inspect_attention.h"
#include "eval/lm/inspect_context.h"
#include "eval/lm/inspect_contributions.h"
#include "eval/lm/inspect_heads.h"
#include "eval/lm/inspect_lens.h"
#include "eval/lm/inspect_senses.h"
#include "eval/vectors/word_map.h"

namespace wordspace::eval {

SvgDocument AttentionSvg(const AttentionMap& map);
// `context`: the model's window length (scales the distance column).
SvgDocument HeadsSvg(const std::vector<HeadProfile>& heads, int context);
SvgDocument LensSvg(const LensReport& report);
SvgDocument ContributionsSvg(const ContributionsReport& report);
SvgDocument ContextSvg(const ContextReport& report);
SvgDocument SensesSvg(const SensesReport& report);
SvgDocument MapSvg(const WordMap& map);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_INSPECT_SVG_H_
