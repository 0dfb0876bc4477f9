// The one file sniffer: tells every kind of file wordspace reads or meets by its content (never
// by its name), so that each input can be checked before it is read and a wrong file refused in
// one line that names the file, what it is, and where it goes:
//
//   vectors.bin: this is a word-vector file (word2vec binary), not a corpus (give it to
//   neighbors, analogy or lm-train --embeddings)
//
// The sniffer looks at the first kSniffBytes of the decompressed content: a gzip file's kind is
// the kind of what it holds (gzipped vectors are vectors, a gzipped corpus is a corpus). It
// knows plain text, word2vec text and binary, GloVe, `word count` vocabularies, wordspace's own
// binary formats (checkpoints, n-gram models, index files), and the foreign files users hand it
// by mistake (fastText .bin, FAISS indexes, Python pickles and .npy arrays such as gensim
// saves, zip, ELF, bzip2/xz/zstd, UTF-16 text). Messages never quote the file's bytes.
//
//   ASSIGN_OR_RETURN(FileSniff sniff, SniffFile(path));
//   RETURN_IF_ERROR(CheckKind(path, sniff, FileRole::kCorpus, /*force=*/false));
//   // or, in one call (standard input, "-", is not sniffed: see CheckFileKind):
//   RETURN_IF_ERROR(CheckFileKind(path, FileRole::kVectors));
#ifndef WORDSPACE_CORPUS_FILE_KIND_H_
#define WORDSPACE_CORPUS_FILE_KIND_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wordspace::corpus {

// Enough for a word2vec header and a first row of a few thousand dimensions, and a fair sample
// of a corpus' bytes, while costing nothing next to reading the file.
inline constexpr size_t kSniffBytes = size_t{64} << 10;

// The magic numbers of wordspace's own binary formats. Their owners (transformer/, eval/lm/,
// embeddings/) sit to the right of corpus/, so the sniffer cannot include them; each owner
// static_asserts that its magic is the one here.
inline constexpr std::string_view kCheckpointFileMagic{"WSLMCKPT", 8};
inline constexpr std::string_view kNgramFileMagic{"WSNGRAM\n", 8};
inline constexpr std::string_view kIndexFileMagic{"WSVINDEX", 8};

enum class FileKind {
  kEmpty,           // no bytes at all (after decompression)
  kText,            // UTF-8 text: a corpus, a word list, questions, pairs
  kNotText,         // binary data of no kind below (mostly NUL, control or invalid UTF-8 bytes)
  kUtf16Text,       // UTF-16 text (a byte-order mark, or NULs between ASCII letters)
  kWord2VecText,    // `rows dim` header, then `word f1 ... fD` rows (fastText .vec too)
  kWord2VecBinary,  // `rows dim` header, then `word ` and D raw float32 per row
  kGlove,           // `word f1 ... fD` rows, no header
  kVocabulary,      // `word count` lines (train --save-vocab, vocab --output)
  kCheckpoint,      // transformer checkpoint (lm-train --out)
  kNgramModel,      // n-gram model (ngram-train --out)
  kVectorIndex,     // wordspace index file (--index-file)
  kFaissIndex,      // an index written by FAISS itself (faiss.write_index)
  kFastTextModel,   // fastText's .bin model
  kPickle,          // a Python pickle (gensim's model.save)
  kNumpy,           // a NumPy .npy array (gensim saves large arrays beside the pickle)
  kZip,
  kElf,
  kBzip2,
  kXz,
  kZstd,
};

struct FileSniff {
  FileKind kind = FileKind::kEmpty;
  bool gzip = false;          // the content was gzip-compressed; `kind` is what it holds
  size_t sample_bytes = 0;    // decompressed bytes looked at (at most kSniffBytes)
  size_t not_text_bytes = 0;  // of those: NUL, control (not white space), invalid UTF-8
};

// Sniffs the first bytes of a file's (decompressed) content. `whole` says `start` is all of
// it, so a last line without '\n' counts as complete.
FileSniff SniffContent(std::string_view start, bool whole, bool gzip = false);

// False for standard input ("-"), pipes (`<(zcat ...)`) and devices: what sniffing reads from
// them would be gone for the reader. Files, folders and missing paths can be sniffed.
bool CanSniff(const std::string& path);

// Sniffs a file. NotFound (missing), InvalidArgument (a folder) or DataLoss (a corrupt gzip
// stream) name the path, as TextReader reports them. A stream (!CanSniff) is refused with
// InvalidArgument; SentenceReader sniffs the buffer it peeks at instead.
[[nodiscard]] absl::StatusOr<FileSniff> SniffFile(const std::string& path);

// What a file is, for a message: "a word-vector file (word2vec binary, gzip-compressed)".
std::string DescribeKind(const FileSniff& sniff);

// What an input slot takes.
enum class FileRole {
  kCorpus,         // text to tokenize: train --input, lm-train --train/--valid, lm-bench --text
  kVectors,        // a word-vector file: neighbors, analogy, eval-*, bias, lm-train --embeddings
  kVocabulary,     // a `word count` file: --read-vocab, ngram-train --vocab
  kWordList,       // a small text file: questions, pairs, WEAT tests, word lists
  kCheckpoint,     // lm-generate --model, inspect --model, lm-train --resume
  kNextWordModel,  // lm-bench --model: an n-gram model or a checkpoint
  kIndexFile,      // --index-file: read if it is one, else (re)built
};

// OK when `sniff` suits `role`. Otherwise InvalidArgument, one line:
// `<path>: this is <kind>, not <role> (<what takes it, or how to convert it>)`.
// Empty files pass (each reader says what an empty input means for it), and so does binary
// data of no known kind given as an index file (the index reader reports it corrupt). `force`
// (a corpus' --force) accepts anything as a corpus: the sniffer can be wrong about an odd text.
[[nodiscard]] absl::Status CheckKind(const std::string& path, const FileSniff& sniff, FileRole role,
                                     bool force = false);

// SniffFile, then CheckKind. Standard input, pipes and devices (!CanSniff) pass unsniffed: they
// cannot be rewound, so the corpus readers check the buffer they peek at instead
// (SentenceReader), and other readers their own magic or syntax. A missing index
// file passes (it is about to be built); other open errors are returned as SniffFile's.
[[nodiscard]] absl::Status CheckFileKind(const std::string& path, FileRole role,
                                         bool force = false);

}  // namespace wordspace::corpus

#endif  // WORDSPACE_CORPUS_FILE_KIND_H_
