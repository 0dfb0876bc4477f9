#!/usr/bin/python3
"""Writes tests/data/gensim_vectors.{bin,txt}: a few vectors saved by gensim's own
save_word2vec_format (binary and text), so the C++ reader is tested against the reference
writer's exact bytes. Run with Debian's python3-gensim: /usr/bin/python3 bench/make_gensim_vector_fixture.py
"""
import os
import numpy as np
from gensim.models import KeyedVectors

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data")
words = ["the", "cat", "dog", "café", "x"]
rng = np.random.default_rng(7)
vectors = rng.standard_normal((len(words), 4)).astype(np.float32)
vectors[4] = [1.5, -0.25, 1e-8, 3.4028235e38]
kv = KeyedVectors(vector_size=4)
kv.add_vectors(words, vectors)
kv.save_word2vec_format(os.path.join(out, "gensim_vectors.bin"), binary=True)
kv.save_word2vec_format(os.path.join(out, "gensim_vectors.txt"), binary=False)
with open(os.path.join(out, "gensim_vectors.expected"), "w") as f:
    for w, v in zip(words, vectors):
        f.write(w + " " + " ".join(repr(float(x)) for x in v) + "\n")
