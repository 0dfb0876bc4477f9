"""wordspace for Python: word vectors, their benchmarks, bias probes and the tiny transformer,
over the same C++ libraries as the `wordspace` command, with gensim 4's names.

    import wordspace
    kv = wordspace.KeyedVectors.load("data/brown.bin")
    kv.most_similar("king", topn=5)
    kv.evaluate_word_analogies("data/questions-words.txt")
    kv = wordspace.train("corpus.txt.gz", "vectors.bin", dim=100, epochs=5)
    wordspace.bias.weat(kv, "data/weat.tsv")
    lm = wordspace.LanguageModel.load("model.lm")

help(wordspace.KeyedVectors), help(wordspace.train), help(wordspace.bias) and
help(wordspace.LanguageModel) explain each part.
"""
from ._wordspace import (  # noqa: F401
    DataLossError,
    Error,
    KeyedVectors,
    KeyNotFoundError,
    LanguageModel,
    precision,
    set_precision,
    train,
)
from . import bias  # noqa: F401

__all__ = ["KeyedVectors", "LanguageModel", "train", "bias", "Error", "DataLossError",
           "KeyNotFoundError", "precision", "set_precision"]
