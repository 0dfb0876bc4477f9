"""wordspace.train: the command's options as keywords, the vectors it learns, reproducibility,
the progress callback, and stopping by Ctrl-C or by the callback without writing a file."""
import os
import signal
import subprocess
import threading

import numpy as np
import pytest

import wordspace


def mean_cosines(kv):
    unit = kv.vectors / np.linalg.norm(kv.vectors, axis=1, keepdims=True)
    topic = np.array([int(w[1]) for w in kv.index_to_key])
    sims = unit @ unit.T
    same = topic[:, None] == topic[None, :]
    np.fill_diagonal(same, False)
    cross = topic[:, None] != topic[None, :]
    return sims[same].mean(), sims[cross].mean()


@pytest.mark.parametrize("model,loss", [("skipgram", "ns"), ("cbow", "ns"), ("skipgram", "hs")])
def test_learns_the_planted_topics(corpus, model, loss):
    kv = wordspace.train(corpus, dim=16, epochs=3, min_count=1, model=model, loss=loss, seed=2)
    assert len(kv) == 40 and kv.vector_size == 16
    same, cross = mean_cosines(kv)
    assert same > cross + 0.3, (model, loss, same, cross)


def test_same_vectors_as_the_command_and_as_its_file(corpus, tmp_path, wordspace_bin):
    out = tmp_path / "py.bin"
    kv = wordspace.train(corpus, str(out), dim=12, epochs=2, min_count=1, threads=1, seed=7)
    again = wordspace.train(corpus, dim=12, epochs=2, min_count=1, threads=1, seed=7)
    assert np.array_equal(kv.vectors, again.vectors)
    assert np.array_equal(wordspace.KeyedVectors.load(str(out)).vectors, kv.vectors)
    cli = tmp_path / "cli.bin"
    subprocess.run([wordspace_bin, "train", "--input", corpus, "--output", str(cli), "--dim", "12",
                    "--epochs", "2", "--min-count", "1", "--threads", "1", "--seed", "7",
                    "--quiet"], check=True)
    assert cli.read_bytes() == out.read_bytes()
    other_seed = wordspace.train(corpus, dim=12, epochs=2, min_count=1, threads=1, seed=8)
    assert not np.array_equal(other_seed.vectors, kv.vectors)


def test_text_output_and_subwords(corpus, tmp_path):
    out = tmp_path / "v.txt"
    kv = wordspace.train(corpus, str(out), dim=8, epochs=1, min_count=1, minn=2, maxn=3, bucket=500)
    assert out.read_text().startswith("40 8\n")
    assert kv.has_ngrams
    unseen = kv.get_vector("t1w77")  # never in the corpus: from its n-grams
    assert unseen.shape == (8,) and np.abs(unseen).sum() > 0


def test_callback_receives_progress(corpus):
    reports = []
    wordspace.train(corpus, dim=8, epochs=20, min_count=1, threads=1, callback=reports.append,
                    progress_interval=0.001)
    training = [r for r in reports if r["phase"] == "training"]
    assert training, reports
    last = training[-1]
    assert set(last) >= {"fraction", "epoch", "epochs", "alpha", "loss", "eta_seconds"}
    assert last["epochs"] == 20
    assert all(0 <= r["fraction"] <= 1 for r in training)
    assert [r["fraction"] for r in training] == sorted(r["fraction"] for r in training)


def test_callback_exception_stops_training_and_writes_nothing(corpus, tmp_path):
    out = tmp_path / "never.bin"

    def stop(progress):
        if progress["phase"] == "training":
            raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough"):
        wordspace.train(corpus, str(out), dim=8, epochs=100000, min_count=1, callback=stop,
                        progress_interval=0.01)
    assert not out.exists()
    assert os.listdir(tmp_path) == []


def test_ctrl_c_stops_training_cleanly(corpus, tmp_path):
    out = tmp_path / "never.bin"
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            wordspace.train(corpus, str(out), dim=8, epochs=100000, min_count=1)
    finally:
        timer.cancel()
    assert not out.exists()
    # The library is usable afterwards.
    assert len(wordspace.train(corpus, dim=8, epochs=1, min_count=1)) == 40


def test_bad_arguments(corpus, tmp_path):
    with pytest.raises(FileNotFoundError):
        wordspace.train(str(tmp_path / "missing.txt"))
    with pytest.raises(ValueError, match="dim"):
        wordspace.train(corpus, dim=0)
    with pytest.raises(ValueError):
        wordspace.train(corpus, model="glove")
    with pytest.raises(ValueError, match="min-count"):
        wordspace.train(corpus, min_count=10**9)
    with pytest.raises(TypeError):
        wordspace.train(corpus, callback=42)
    with pytest.raises(TypeError):
        wordspace.train(corpus, 8)  # options are keywords (8 is not an output path)


def test_help_explains():
    assert "callback" in wordspace.train.__doc__ and "KeyboardInterrupt" in wordspace.train.__doc__
