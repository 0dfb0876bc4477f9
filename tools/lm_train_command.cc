// `wordspace lm-train`: trains the tiny transformer language model, its token embeddings
// initialised from skip-gram vectors (or at random), and writes a checkpoint.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/json.h"
#include "base/output_file.h"
#include "base/parallel_for.h"
#include "base/progress_line.h"
#include "base/string_view.h"
#include "tools/command.h"
#include "tools/input_kind.h"
#include "tools/options.h"
#include "tools/precision_option.h"
#include "transformer/embedding_init.h"
#include "transformer/gemm.h"
#include "transformer/lm_data.h"
#include "transformer/train_setup.h"
#include "transformer/trainer.h"

namespace wordspace::tools {
namespace {

int RunLmTrain(int argc, char** argv) {
  std::string train_path, valid_path, embeddings_path, read_vocab, out_path, resume_path;
  std::string init = "auto", embed_scale = "std", kernel_name, precision_name;
  std::string block = "modern", norm_name, positions_name, ffn_name;
  bool biases = true;
  int vocab_size = 20000, threads = 0, eval_stride = 0, chunk_rows = 256;
  int64_t stop_after = 0, eval_every = 0, eval_tokens = 20000, final_eval_tokens = 0;
  int64_t checkpoint_every = 0, max_train_tokens = 0;
  bool untied = false, json = false, quiet = false;
  transformer::ModelConfig mc;
  transformer::TrainConfig tc;
  corpus::CorpusOptions corpus_options;

  po::options_description options("lm-train options");
  options.add_options()
      ("input", po::value(&train_path), "training corpus: plain text or gzip, one sentence per line")
      ("valid", po::value(&valid_path), "held-out text: validation loss and perplexity")
      ("output", po::value(&out_path), "checkpoint to write (at the end and every --checkpoint-every steps)")
      ("resume", po::value(&resume_path), "continue the run saved in this checkpoint (model, vocabulary, schedule and optimizer come from it)")
      ("embeddings", po::value(&embeddings_path), "word vectors (word2vec text/binary, GloVe): the vocabulary and the token embeddings' init")
      ("init", po::value(&init)->default_value("auto"), "token embeddings: pretrained (from --embeddings), random, or auto (pretrained when --embeddings is given)")
      ("embed-scale", po::value(&embed_scale)->default_value("std"), "pretrained scaling: std (standardise to the 0.02 init scale), unit (rows of norm 0.02*sqrt(d)) or raw")
      ("freeze-embeddings", po::bool_switch(&tc.freeze_embeddings), "do not train the token embeddings (with a tied output layer, that freezes it too)")
      ("freeze-embeddings-steps", po::value(&tc.freeze_embeddings_steps)->default_value(0), "freeze the token embeddings for the first N steps only, while the rest of the model learns to read them")
      ("embedding-lr-scale", po::value(&tc.embedding_lr_scale)->default_value(1.0, "1"), "the token embeddings' learning rate (and weight decay) is --lr times this")
      ("read-vocab", po::value(&read_vocab), "take the vocabulary from this `word count` file instead")
      ("vocab-size", po::value(&vocab_size)->default_value(20000), "most frequent words kept (plus <unk> and </s>)")
      ("d-model", po::value(&mc.d_model)->default_value(128), "model width")
      ("layers", po::value(&mc.layers)->default_value(4), "transformer blocks")
      ("heads", po::value(&mc.heads)->default_value(4), "attention heads (divide --d-model)")
      ("context", po::value(&mc.context)->default_value(64), "tokens of context per window")
      ("untied", po::bool_switch(&untied), "a separate output layer instead of sharing the token embeddings")
      ("block", po::value(&block)->default_value("modern"), "the block's parts at once: modern (RMSNorm, rotary positions, SwiGLU, no biases: LLaMA's; the README has the measurements) or classic (LayerNorm, learned positions, GELU, biases: GPT-2's, as ../shared/bench/torch_tiny_lm.py); the four options below override one part each")
      ("norm", po::value(&norm_name), "layernorm or rmsnorm (no centring, no bias)")
      ("positions", po::value(&positions_name), "learned (a vector per position, wpe) or rope (rotary: q and k turned by position; no parameters)")
      ("ffn", po::value(&ffn_name), "feed-forward: gelu (4*d hidden) or swiglu (silu(gate)*up, 8d/3 hidden: the same parameters)")
      ("biases", po::value(&biases), "biases in the linear layers and LayerNorm: yes or no")
      ("ff-hidden", po::value(&mc.ff_hidden)->default_value(0), "the feed-forward's hidden width (0: 4*d for gelu, 8d/3 rounded to 16 for swiglu)")
      ("batch", po::value(&tc.batch)->default_value(32), "windows per step")
      ("steps", po::value(&tc.steps)->default_value(0), "training steps: the budget and the length of the learning-rate schedule")
      ("minutes", po::value(&tc.minutes)->default_value(0), "training minutes instead of --steps (schedule over time; not reproducible)")
      ("stop-after", po::value(&stop_after)->default_value(0), "stop (and write --output) once this many steps are done, keeping the --steps schedule; --resume continues")
      ("lr", po::value(&tc.optimizer.lr)->default_value(3e-3, "3e-3"), "peak learning rate (AdamW)")
      ("min-lr-frac", po::value(&tc.optimizer.min_lr_frac)->default_value(0.1, "0.1"), "the cosine decays to lr * this")
      ("warmup", po::value(&tc.optimizer.warmup)->default_value(200), "steps of linear warmup")
      ("weight-decay", po::value(&tc.optimizer.weight_decay)->default_value(0.1, "0.1"), "AdamW decoupled weight decay (matrices and embeddings)")
      ("clip", po::value(&tc.optimizer.clip)->default_value(1.0, "1.0"), "maximum gradient norm (0: no clipping)")
      ("seed", po::value(&tc.seed)->default_value(1337), "random seed (init and windows); with --steps the run is reproducible bit for bit")
      ("threads", po::value(&threads)->default_value(0), "cores to use (0: all)")
      ("eval-every", po::value(&eval_every)->default_value(0), "steps between validation passes on --eval-tokens of --valid, spread over the file (0: only at the end)")
      ("eval-tokens", po::value(&eval_tokens)->default_value(20000), "targets of the periodic validation passes (windows spread evenly over --valid)")
      ("final-eval-tokens", po::value(&final_eval_tokens)->default_value(0), "targets of the final validation pass, spread like --eval-tokens (0: all of --valid)")
      ("eval-stride", po::value(&eval_stride)->default_value(0), "validation window stride (0: context/2; each target is scored once)")
      ("checkpoint-every", po::value(&checkpoint_every)->default_value(0), "steps between checkpoints to --output (0: only at the end)")
      ("max-train-tokens", po::value(&max_train_tokens)->default_value(0), "use only the first N tokens of --input (0: all)")
      ("lowercase", po::bool_switch(&corpus_options.tokenizer.lowercase), "lowercase words (stored in the checkpoint)")
      ("strip-punct", po::bool_switch(&corpus_options.tokenizer.strip_punct), "treat punctuation as white space")
      ("split-cjk", po::bool_switch(&corpus_options.tokenizer.split_cjk), "make each CJK character a token")
      ("strict", po::bool_switch(&corpus_options.strict_utf8), "invalid UTF-8 is an error")
      ("force", po::bool_switch(&corpus_options.force), "read --train/--valid even if they do not look like text")
      ("chunk-rows", po::value(&chunk_rows)->default_value(256), "rows of output-layer logits computed at once")
      ("json", po::bool_switch(&json), "end with one JSON line: steps, tokens, tokens_per_sec, final_loss, valid_perplexity, ...")
      ("quiet", po::bool_switch(&quiet), "no progress line");
  AddPrecisionOption(options, &precision_name, "auto");
  po::options_description aliases;
  aliases.add_options()("kernel", po::value(&kernel_name), "the old name of --isa");
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv,
          "wordspace lm-train --input CORPUS --output MODEL (--steps N | --minutes M) [options]",
          "Trains a small GPT-style language model (pre-norm blocks of causal multi-head\n"
          "attention and a feed-forward layer, tied output layer; --block picks GPT-2's parts or\n"
          "LLaMA's) to predict the next word,\n"
          "with token embeddings initialised from word vectors (--embeddings). The corpus is\n"
          "read like `train` reads it; words outside the vocabulary become <unk> and line ends\n"
          "</s>. Training: random windows, AdamW, gradient clipping, warmup then cosine decay.\n"
          "With --threads 1 and --steps, a run stopped by --stop-after and continued by\n"
          "--resume writes exactly the checkpoint of an uninterrupted run (the threads count\n"
          "does not change the numbers either).\n\n"
          "  wordspace lm-train --input corpus.txt.gz --valid valid.txt.gz \\\n"
          "      --embeddings vectors.bin --output model.lm --minutes 10 --eval-every 200",
          options, {}, &vm, &aliases,
          {{"train", "input"}, {"out", "output"}, {"vocab", "vocab-size"}})) {
    return *exit;
  }
  if (train_path.empty() || out_path.empty()) {
    return UsageError("--input and --output are required (see --help)");
  }
  if (out_path == "-") {
    // OutputFile reads "-" as standard output, but a checkpoint is rewritten during the run and
    // read back by --resume: it needs a name.
    return UsageError("--output must name a file; a checkpoint cannot go to standard output");
  }
  // The checkpoint is written at the end: an unwritable folder must fail now, not then.
  if (absl::Status s = OutputFile::CheckCanCreate(out_path); !s.ok()) return ReportError(s);
  if (!kernel_name.empty()) {
    // Before every command took --isa, lm-train's --kernel chose the matrix kernel's
    // instruction set; saved scripts still pass it.
    std::cerr << "note: --kernel is now --isa (the same for every command)\n";
    if (auto exit = ApplyIsaOption(kernel_name)) return *exit;
  }
  if (auto exit = ApplyPrecisionOption(precision_name)) return *exit;
  if (absl::Status s = mc.SetBlock(block); !s.ok()) return UsageError(ToStd(s.message()));
  if (vm.count("biases")) mc.biases = biases;
  // One part named on its own overrides the block's choice for it.
  auto override_part = [](const std::string& name, auto parse, auto* part) -> std::optional<int> {
    if (name.empty()) return std::nullopt;
    auto kind = parse(name);
    if (!kind.ok()) return UsageError(ToStd(kind.status().message()));
    *part = *kind;
    return std::nullopt;
  };
  if (auto exit = override_part(norm_name, transformer::ParseNormKind, &mc.norm)) return *exit;
  if (auto exit = override_part(positions_name, transformer::ParsePositionKind, &mc.positions)) {
    return *exit;
  }
  if (auto exit = override_part(ffn_name, transformer::ParseFeedForwardKind, &mc.feed_forward)) {
    return *exit;
  }
  if (init != "auto" && init != "pretrained" && init != "random") {
    return UsageError("--init must be auto, pretrained or random");
  }
  auto scale = transformer::ParseEmbeddingScale(embed_scale);
  if (!scale.ok()) {
    return UsageError(absl::StrCat("--embed-scale: ", scale.status().message()));
  }
  if (init == "pretrained" && embeddings_path.empty()) {
    return UsageError("--init pretrained needs --embeddings");
  }
  if (chunk_rows < 1) {
    return UsageError("--chunk-rows must be at least 1");
  }
  if (resume_path.empty()) {
    // A new run's settings are checked before any input is read (a resumed run takes them from
    // its checkpoint). The vocabulary's size is known only later; --vocab-size stands in.
    transformer::ModelConfig shape = mc;
    shape.vocab_size = std::max(vocab_size + 2, 3);
    if (absl::Status s = shape.Validate(); !s.ok()) return UsageError(ToStd(s.message()));
    // A short --steps budget would spend itself warming up under the default --warmup 200:
    // the default scales to a tenth of the steps, and a warmup given that is not shorter than
    // the budget is reported.
    if (tc.steps > 0 && tc.optimizer.warmup >= tc.steps / 10) {
      if (vm["warmup"].defaulted()) {
        if (tc.optimizer.warmup > tc.steps / 10) {
          tc.optimizer.warmup = static_cast<int>(tc.steps / 10);
          if (!quiet) {
            std::cerr << "note: --warmup scaled to " << tc.optimizer.warmup << " (a tenth of --steps "
                      << tc.steps << "; the default is 200)\n";
          }
        }
      } else if (tc.optimizer.warmup >= tc.steps) {
        std::cerr << "warning: --warmup " << tc.optimizer.warmup << " is not shorter than --steps "
                  << tc.steps << ": the learning rate never reaches --lr\n";
      }
    }
    if (absl::Status s = transformer::CheckTrainConfig(tc); !s.ok()) {
      return UsageError(ToStd(s.message()));
    }
  }
  if (auto exit = CheckInputs({{train_path, corpus::FileRole::kCorpus},
                               {valid_path, corpus::FileRole::kCorpus},
                               {resume_path, corpus::FileRole::kCheckpoint},
                               {embeddings_path, corpus::FileRole::kVectors},
                               {read_vocab, corpus::FileRole::kVocabulary}},
                              corpus_options.force)) {
    return *exit;
  }
  threads = ResolveThreads(threads);
  ProgressLine progress(!quiet);
  auto say = [&](const std::string& line) {
    if (!quiet) std::fprintf(stderr, "%s\n", line.c_str());
  };
  auto read_progress = [&](const std::string& what) {
    return [&progress, what](double fraction, uint64_t words) {
      progress.Update(absl::StrFormat("reading %s  %5.1f%%  %s words", what, 100 * fraction,
                                      HumanCount(static_cast<double>(words))));
    };
  };

  transformer::TrainSetupOptions setup_options;
  setup_options.resume_path = resume_path;
  if (!vm["steps"].defaulted()) setup_options.steps = tc.steps;
  if (!vm["minutes"].defaulted()) setup_options.minutes = tc.minutes;
  setup_options.train_path = train_path;
  setup_options.embeddings_path = embeddings_path;
  setup_options.vocab_path = read_vocab;
  setup_options.vocab_size = vocab_size;
  setup_options.corpus = corpus_options;
  mc.tied = !untied;
  setup_options.model = mc;
  setup_options.train = tc;
  setup_options.init = init == "pretrained" ? transformer::EmbeddingInit::kPretrained
                       : init == "random"   ? transformer::EmbeddingInit::kRandom
                                            : transformer::EmbeddingInit::kAuto;
  setup_options.embedding.scale = *scale;
  setup_options.progress = read_progress(train_path);
  bool bad_model_config = false;
  auto setup = transformer::SetUpTrainRun(setup_options, &bad_model_config);
  if (!setup.ok()) {
    if (!bad_model_config) return ReportError(setup.status());
    progress.Finish("");  // the corpus may have been counted: end its progress line
    return UsageError(std::string(setup.status().message()));
  }
  transformer::LmState& state = setup->state;
  if (setup->resumed) {
    if (setup->extended_from_steps) {
      say(absl::StrFormat(
          "note: the learning-rate schedule was planned for %d steps; extending it to %d changes "
          "the rate from here on, so the result will not equal an uninterrupted %d-step run "
          "(interrupt runs with --stop-after K to keep their schedule)",
          *setup->extended_from_steps, tc.steps, tc.steps));
    }
    std::string ignored;
    for (const char* name : {"embeddings", "init", "embed-scale", "freeze-embeddings",
                             "freeze-embeddings-steps", "embedding-lr-scale", "read-vocab",
                             "vocab", "d-model", "layers", "heads", "context", "untied", "block",
                             "norm", "positions", "ffn", "biases", "ff-hidden", "batch",
                             "lr", "min-lr-frac", "warmup", "weight-decay", "clip", "seed",
                             "lowercase", "strip-punct", "split-cjk"}) {
      if (vm.count(name) && !vm[name].defaulted()) absl::StrAppend(&ignored, " --", name);
    }
    if (!ignored.empty()) {
      say(absl::StrCat("note: --resume takes the model, vocabulary and schedule from the "
                       "checkpoint; ignored:", ignored));
    }
    say(absl::StrFormat("resuming %s at step %d", resume_path, state.step));
  } else {
    if (setup->vocabulary == transformer::VocabularySource::kCorpus) progress.Finish("");
    if (setup->embeddings) {
      const transformer::EmbeddingInitReport& report = *setup->embeddings;
      const int d_model = state.model->config().d_model;
      say(absl::StrFormat(
          "embeddings: %d of %d words from %s (dim %d%s, raw element std %.3f, scaled: %s)",
          report.found, state.model->config().vocab_size, embeddings_path, report.source_dim,
          report.pca ? absl::StrFormat(" -> PCA to %d keeping %.1f%% of the variance", d_model,
                                       100 * report.explained_variance)
                     : (report.source_dim < d_model ? " zero-padded" : ""),
          report.raw_std, embed_scale));
    } else {
      say("embeddings: random init (N(0, 0.02))");
    }
  }
  if (state.train.steps == 0 && state.train.minutes <= 0) {
    return UsageError("give a budget: --steps N or --minutes M");
  }

  corpus::CorpusOptions read_options = corpus_options;
  read_options.tokenizer = state.tokenizer;
  auto train = transformer::EncodeText(train_path, state.words, read_options,
                                       read_progress(train_path));
  if (!train.ok()) return ReportError(train.status());
  progress.Finish("");
  if (max_train_tokens > 0 && static_cast<int64_t>(train->ids.size()) > max_train_tokens) {
    train->ids.resize(max_train_tokens);
  }
  say(absl::StrFormat("%s: %s tokens (%s lines), <unk> rate %.2f%%", train_path,
                      HumanCount(static_cast<double>(train->ids.size())),
                      HumanCount(static_cast<double>(train->lines)),
                      train->words ? 100.0 * train->unknown / train->words : 0.0));
  std::unique_ptr<transformer::EncodedText> valid;
  if (!valid_path.empty()) {
    auto v = transformer::EncodeText(valid_path, state.words, read_options);
    if (!v.ok()) return ReportError(v.status());
    valid = std::make_unique<transformer::EncodedText>(std::move(*v));
    say(absl::StrFormat("%s: %s tokens, <unk> rate %.2f%%", valid_path,
                        HumanCount(static_cast<double>(valid->ids.size())),
                        valid->words ? 100.0 * valid->unknown / valid->words : 0.0));
  }

  const transformer::ModelConfig& config = state.model->config();
  state.model->set_chunk_rows(chunk_rows);
  const double flops_per_token = config.TrainFlopsPerToken();
  say(absl::StrFormat(
      "model: V=%d d_model=%d layers=%d heads=%d context=%d %s (%s), %s parameters; %.1f MFLOP "
      "per training token; batch %d; %d threads; matrix kernel %s",
      config.vocab_size, config.d_model, config.layers, config.heads, config.context,
      config.tied ? "tied" : "untied", config.ArchitectureName(),
      HumanCount(static_cast<double>(state.model->layout().num_parameters())),
      flops_per_token / 1e6, state.train.batch, threads, transformer::ActiveGemmKernelName()));

  transformer::TrainRunOptions run;
  run.threads = threads;
  run.stop_after = stop_after;
  run.eval_every = eval_every;
  run.eval_max_targets = eval_tokens;
  run.final_eval_max_targets = final_eval_tokens;
  run.eval_stride = eval_stride;
  run.checkpoint_every = checkpoint_every;
  run.checkpoint_path = out_path;
  run.train_path = train_path;
  std::string last_valid;
  auto result = transformer::Train(
      &state, train->ids, valid ? &valid->ids : nullptr, run,
      [&](const transformer::TrainProgress& p) {
        if (p.final_validation) {
          progress.Update(absl::StrFormat("final validation on %s  %5.1f%%  eta %s", valid_path,
                                          100 * p.final_validation_fraction,
                                          HumanDuration(p.eta_seconds)));
          return;
        }
        if (p.valid_updated) {
          last_valid = absl::StrFormat("  valid loss %.3f ppl %.1f", p.valid_loss,
                                       p.valid_perplexity);
          if (!quiet) {
            progress.Finish(absl::StrFormat("step %d  train loss %.3f  valid loss %.3f  ppl %.1f",
                                            p.step, p.loss, p.valid_loss, p.valid_perplexity));
          }
        }
        const std::string of = p.total_steps > 0 ? absl::StrCat("/", p.total_steps) : "";
        progress.Update(absl::StrFormat(
            "step %d%s  %5.1f%%  loss %.3f  tok/s %s  lr %.2e  |g| %.2f  eta %s%s", p.step, of,
            100 * p.fraction, p.loss, HumanCount(p.tokens_per_sec), p.lr, p.grad_norm,
            HumanDuration(p.eta_seconds), last_valid));
      });
  if (!result.ok()) return ReportError(result.status());
  const double tps = result->tokens / std::max(result->seconds, 1e-9);
  const double tpcs = result->tokens / std::max(result->cpu_seconds, 1e-9);
  progress.Finish(absl::StrFormat(
      "trained %d steps (%s tokens) in %.1f s: %s tokens/s, %.1f GFLOP/s (%.1f per CPU-second); "
      "final loss %.4f%s",
      result->steps, HumanCount(static_cast<double>(result->tokens)), result->seconds,
      HumanCount(tps), tps * flops_per_token / 1e9, tpcs * flops_per_token / 1e9,
      result->final_loss,
      result->has_valid
          ? absl::StrFormat("; valid loss %.4f, perplexity %.2f (%d targets)", result->valid_loss,
                            result->valid_perplexity, result->valid_targets)
          : ""));
  say(absl::StrFormat("wrote %s (step %d)", out_path, result->total_steps));

  if (json) {
    Json out;
    out["output"] = out_path;
    out["steps"] = result->steps;
    out["total_steps"] = result->total_steps;
    out["tokens"] = result->tokens;
    out["seconds"] = result->seconds;
    out["cpu_seconds"] = result->cpu_seconds;
    out["tokens_per_sec"] = tps;
    out["tokens_per_cpu_sec"] = tpcs;
    out["final_loss"] = JsonValue(result->final_loss);
    out["flops_per_token"] = flops_per_token;
    out["gflops"] = tps * flops_per_token / 1e9;
    out["gflops_per_cpu_sec"] = tpcs * flops_per_token / 1e9;
    out["threads"] = threads;
    out["kernel"] = transformer::ActiveGemmKernelName();
    out["precision"] = transformer::GemmPrecisionName(transformer::ActiveGemmPrecision());
    out["params"] = state.model->layout().num_parameters();
    out["d_model"] = config.d_model;
    out["layers"] = config.layers;
    out["heads"] = config.heads;
    out["context"] = config.context;
    out["norm"] = transformer::NormKindName(config.norm);
    out["positions"] = transformer::PositionKindName(config.positions);
    out["ffn"] = transformer::FeedForwardKindName(config.feed_forward);
    out["ff_hidden"] = config.FfHidden();
    out["biases"] = config.biases;
    if (result->has_valid) {
      out["valid_loss"] = JsonValue(result->valid_loss);
      out["valid_perplexity"] = JsonValue(result->valid_perplexity);
      out["valid_tokens"] = result->valid_targets;
    }
    out["curve"] = Json::array();
    for (const auto& c : result->curve) {
      out["curve"].push_back({{"step", c.step},
                              {"seconds", c.seconds},
                              {"train_loss", JsonValue(c.train_loss)},
                              {"valid_loss", JsonValue(c.valid_loss)}});
    }
    std::cout << Dump(out) << std::endl;
  }
  return 0;
}

const Registration kLmTrain{"lm-train", "train the tiny transformer language model", RunLmTrain};

}  // namespace
}  // namespace wordspace::tools
