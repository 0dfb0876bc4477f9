#!/usr/bin/python3
"""Scores word-vector files with gensim: analogy accuracy and WordSim-353 Spearman rho.

usage: eval_vectors.py QUESTIONS WORDSIM VECTORS...
Prints one line per file: `<file> analogy <percent> rho <spearman> pairs <n> questions <n>`.
Analogies: questions-words, vocabulary restricted to the 30,000 most frequent words (the
file's order), case-insensitive, as gensim's evaluate_word_analogies counts them. Similarity:
WordSim-353 pairs lowercased, Spearman rho over the pairs with both words present.
"""
import logging
import sys

from gensim.models import KeyedVectors


def load(path):
    with open(path, 'rb') as f:
        head = f.readline()
        first_row = f.readline(4096)
    binary = b'\0' in first_row or any(b > 127 for b in first_row)
    return KeyedVectors.load_word2vec_format(path, binary=binary)


def main():
    logging.disable(logging.WARNING)
    questions, wordsim, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    for path in files:
        kv = load(path)
        score, sections = kv.evaluate_word_analogies(questions, restrict_vocab=30000,
                                                     case_insensitive=True)
        total = sections[-1]
        asked = len(total['correct']) + len(total['incorrect'])
        _, spearman, oov = kv.evaluate_word_pairs(wordsim, delimiter='\t', case_insensitive=True)
        print(f'{path} analogy {100 * score:.2f} rho {spearman.correlation:.4f} '
              f'oov {oov:.1f} questions {asked}')


if __name__ == '__main__':
    main()
