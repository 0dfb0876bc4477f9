"""wordspace.KeyedVectors: loading every format, gensim's names and shapes, zero-copy vectors,
errors, and queries from several threads."""
import concurrent.futures
import gc
import gzip
import pathlib
import shutil

import numpy as np
import pytest

import wordspace
from conftest import EVAL_TINY, TESTS_DATA

VECTORS = str(EVAL_TINY / "vectors.bin")


def test_attributes_follow_gensim(kv):
    assert len(kv) == 657
    assert kv.vector_size == 20
    assert kv.index_to_key[:3] == ["the", "of", "and"]
    assert kv.key_to_index["of"] == 1
    assert all(kv.key_to_index[w] == i for i, w in enumerate(kv.index_to_key) if w != "PARIS")
    assert "king" in kv and "nonexistentword" not in kv
    assert kv.vectors.shape == (657, 20) and kv.vectors.dtype == np.float32
    assert np.array_equal(kv["king"], kv.vectors[kv.key_to_index["king"]])
    both = kv[["king", "queen"]]
    assert both.shape == (2, 20)
    assert np.array_equal(both[1], kv["queen"])
    assert kv.get_index("king") == kv.key_to_index["king"]
    assert kv.get_index("nonexistentword", -1) == -1
    unit = kv.get_vector("king", norm=True)
    assert np.linalg.norm(unit) == pytest.approx(1.0, abs=1e-6)
    assert "657 words" in repr(kv)


def test_every_format_loads_to_the_same_vectors(kv, tmp_path):
    text = tmp_path / "v.txt"
    kv.save_word2vec_format(str(text))
    binary = tmp_path / "v.bin"
    kv.save_word2vec_format(str(binary), binary=True)
    with open(text, "rb") as src, gzip.open(tmp_path / "v.txt.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    glove = tmp_path / "v.glove"
    glove.write_text("".join(text.read_text().splitlines(keepends=True)[1:]))
    for path in (text, binary, tmp_path / "v.txt.gz", glove):
        other = wordspace.KeyedVectors.load(str(path))
        assert other.index_to_key == kv.index_to_key, path
        np.testing.assert_allclose(other.vectors, kv.vectors, rtol=1e-6, err_msg=str(path))
    assert wordspace.KeyedVectors.load(pathlib.Path(VECTORS)).index_to_key == kv.index_to_key
    limited = wordspace.KeyedVectors.load(VECTORS, limit=10)
    assert len(limited) == 10
    assert wordspace.KeyedVectors.load_word2vec_format(VECTORS, binary=True).index_to_key == kv.index_to_key


def test_vectors_are_a_read_only_view_that_keeps_its_owner_alive():
    kv = wordspace.KeyedVectors.load(VECTORS)
    first = kv.vectors
    second = kv.vectors
    assert np.shares_memory(first, second)  # no copy per access
    assert not first.flags.writeable
    with pytest.raises(ValueError):
        first[0, 0] = 1.0
    row = kv["king"]
    assert np.shares_memory(row, first)
    expected = first.copy()
    del kv, second, row
    gc.collect()
    # The array holds the vectors: reading it after the KeyedVectors is gone is safe.
    assert np.array_equal(first, expected)
    assert float(first.sum()) == pytest.approx(float(expected.sum()))


def test_writable_vectors_change_the_answers():
    kv = wordspace.KeyedVectors.load(VECTORS, writable=True)
    before = kv.most_similar("king", topn=1)[0][0]
    v = kv.vectors
    assert v.flags.writeable
    v[kv.key_to_index["paris"]] = v[kv.key_to_index["king"]] * 2
    kv.fill_norms(force=True)
    assert np.array_equal(kv["paris"], kv["king"] * 2)
    top = kv.most_similar("king", topn=1)[0]
    assert top[0] == "paris" and top[1] == pytest.approx(1.0, abs=1e-5)
    assert before != "paris"


def test_most_similar_forms(kv):
    top = kv.most_similar("king", topn=5)
    assert len(top) == 5 and all(isinstance(w, str) and isinstance(s, float) for w, s in top)
    assert "king" not in [w for w, _ in top]
    assert [s for _, s in top] == sorted((s for _, s in top), reverse=True)
    assert kv.most_similar(positive=["king"], topn=5) == top
    assert kv.similar_by_word("king", topn=5) == top
    # A vector term, a weighted term, restrict_vocab and topn=None.
    by_vector = kv.most_similar(positive=[kv.get_vector("king", norm=True)], topn=6)
    assert by_vector[0][0] == "king"
    weighted = kv.most_similar(positive=[("king", 2.0)], topn=5)
    assert weighted == top
    restricted = kv.most_similar("king", topn=5, restrict_vocab=100)
    assert all(kv.key_to_index[w] < 100 for w, _ in restricted)
    every = kv.most_similar("king", topn=None)
    assert every.shape == (657,)
    assert every[kv.key_to_index["king"]] == pytest.approx(1.0, abs=1e-5)
    analogy = kv.most_similar(positive=["paris", "germany"], negative=["france"], topn=3)
    assert analogy[0][0] == "berlin"
    assert kv.most_similar_cosmul(positive=["paris", "germany"], negative=["france"])[0][0] == "berlin"


def test_batch_forms_return_arrays(kv):
    words = ["king", "paris", "the"]
    rows, scores = kv.most_similar_batch(words, topn=4)
    assert rows.shape == (3, 4) and rows.dtype == np.int64
    assert scores.shape == (3, 4) and scores.dtype == np.float32
    for i, w in enumerate(words):
        single = kv.most_similar(w, topn=4)
        assert [kv.index_to_key[r] for r in rows[i]] == [x for x, _ in single]
        np.testing.assert_allclose(scores[i], [s for _, s in single], rtol=1e-6)
    queries = kv[words]
    rows2, scores2 = kv.similar_by_vector(queries, topn=2)
    assert [kv.index_to_key[r] for r in rows2[:, 0]] == words  # each word is its own nearest
    assert kv.similar_by_vector(queries[0], topn=1)[0][0] == "king"
    sims = kv.similarity(["king", "paris"], ["queen", "france"])
    assert sims.shape == (2,)
    assert sims[0] == pytest.approx(kv.similarity("king", "queen"), abs=1e-6)
    assert kv.distance("king", "queen") == pytest.approx(1 - kv.similarity("king", "queen"), abs=1e-6)
    assert kv.doesnt_match(["king", "queen", "prince", "paris"]) == "paris"


def test_approximate_index(kv):
    kv.index = "HNSW16"
    assert kv.index == "HNSW16"
    top = kv.most_similar("king", topn=3)
    kv.index = "Flat"
    exact = kv.most_similar("king", topn=3)
    assert top[0][0] == exact[0][0]


def test_errors_are_python_exceptions(kv, tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.bin"):
        wordspace.KeyedVectors.load(str(tmp_path / "nope.bin"))
    bad = tmp_path / "bad.txt"
    bad.write_text("2 3\nking 1 2 3\nqueen 1 2\n")
    with pytest.raises(ValueError, match=r"bad\.txt.*3"):
        wordspace.KeyedVectors.load(str(bad))
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(open(VECTORS, "rb").read()[:5000])
    with pytest.raises((wordspace.DataLossError, ValueError), match="truncated.bin"):
        wordspace.KeyedVectors.load(str(truncated))
    with pytest.raises(KeyError, match="nonexistentword"):
        kv["nonexistentword"]
    with pytest.raises(wordspace.KeyNotFoundError):
        kv.most_similar("nonexistentword")
    assert issubclass(wordspace.KeyNotFoundError, wordspace.Error)
    with pytest.raises(ValueError):
        kv.most_similar(positive=[], negative=[])
    with pytest.raises(ValueError):
        kv.most_similar("king", topn=0)
    with pytest.raises(ValueError, match="20 floats"):
        kv.similar_by_vector(np.zeros(3, dtype=np.float32))
    with pytest.raises(ValueError):
        kv.similarity(["king"], ["queen", "paris"])
    with pytest.raises(ValueError):
        wordspace.KeyedVectors(["a", "b"], np.zeros((3, 4), dtype=np.float32))
    with pytest.raises(ValueError):
        kv.index = "NotAnIndex"
        kv.most_similar("king")
    kv.index = "Flat"
    with pytest.raises(FileNotFoundError, match="check that the folder exists"):
        kv.save_word2vec_format(str(tmp_path / "no" / "such" / "folder.txt"))


def test_constructor_copies_rows():
    rows = np.arange(12, dtype=np.float32).reshape(3, 4)
    kv = wordspace.KeyedVectors(["a", "b", "c"], rows)
    rows[0, 0] = 99
    assert kv["a"][0] == 0
    assert kv.most_similar("c", topn=1)[0][0] == "b"


def test_concurrent_queries_from_threads_agree_with_serial(kv):
    words = kv.index_to_key[:200]
    serial = [kv.most_similar(w, topn=5) for w in words]

    def ask(i):
        w = words[i % len(words)]
        if i % 3 == 0:
            rows, _ = kv.most_similar_batch([w], topn=5)
            return [kv.index_to_key[r] for r in rows[0]]
        return [x for x, _ in kv.most_similar(w, topn=5)]

    fresh = wordspace.KeyedVectors.load(VECTORS)  # its index is built by the racing threads
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, range(800)))
        racing = list(pool.map(lambda w: [x for x, _ in fresh.most_similar(w, topn=5)], words))
    for i, answer in enumerate(answers):
        assert answer == [x for x, _ in serial[i % len(words)]]
    assert racing == [[x for x, _ in s] for s in serial]


def test_fasttext_model_answers_unseen_words(tmp_path, wordspace_bin, corpus):
    import subprocess
    model = tmp_path / "model.bin"
    subprocess.run([wordspace_bin, "train", "--input", corpus, "--output", str(tmp_path / "v.bin"),
                    "--dim", "8", "--epochs", "1", "--min-count", "1", "--minn", "2", "--maxn", "3",
                    "--bucket", "1000", "--save-model", str(model), "--quiet"], check=True)
    kv = wordspace.KeyedVectors.load(str(model))
    assert kv.has_ngrams
    assert "t0w99" not in kv
    unseen = kv.get_vector("t0w99")
    assert unseen.shape == (8,) and np.isfinite(unseen).all() and np.abs(unseen).sum() > 0
    with pytest.raises(KeyError):
        kv["t0w99"]  # only get_vector builds n-gram vectors, as gensim's KeyedVectors


def test_help_explains():
    doc = wordspace.KeyedVectors.__doc__
    assert "most_similar" in doc and "FAISS" in doc
    assert "restrict_vocab" in wordspace.KeyedVectors.most_similar.__doc__
    assert "fastText" in wordspace.KeyedVectors.load.__doc__
