"""Shared fixtures of the Python package's tests (run by ctest: tests/python/CMakeLists.txt).

They use the committed fixtures in tests/data and data/, and data they make in pytest's own
temporary folder (ctest points --basetemp into the build tree, so nothing is left in /tmp).
"""
import os
import pathlib
import random
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
TESTS_DATA = REPO / "tests" / "data"
EVAL_TINY = TESTS_DATA / "eval_tiny"
DATA = REPO / "data"

wordspace = pytest.importorskip("wordspace")


def topic_corpus(path, sentences=3000, seed=1):
    """Planted structure: each line draws its 12 words from one of 4 topics of 10 words, so
    same-topic words share contexts and cross-topic words never meet."""
    rng = random.Random(seed)
    topics = [[f"t{t}w{i}" for i in range(10)] for t in range(4)]
    with open(path, "w") as f:
        for _ in range(sentences):
            words = topics[rng.randrange(4)]
            f.write(" ".join(rng.choice(words) for _ in range(12)) + "\n")
    return path


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    return str(topic_corpus(tmp_path_factory.mktemp("corpus") / "topics.txt"))


@pytest.fixture
def kv():
    return wordspace.KeyedVectors.load(str(EVAL_TINY / "vectors.bin"))


@pytest.fixture(scope="session")
def wordspace_bin():
    path = os.environ.get("WORDSPACE_BIN", str(REPO / "build" / "wordspace"))
    if not os.path.exists(path):
        pytest.skip(f"the wordspace binary is not built ({path})")
    return path


@pytest.fixture(scope="session")
def lm_path(tmp_path_factory, corpus, wordspace_bin):
    """A tiny language model trained by the command for 30 steps (under a second)."""
    out = tmp_path_factory.mktemp("lm") / "tiny.lm"
    subprocess.run([wordspace_bin, "lm-train", "--input", corpus, "--output", str(out),
                    "--steps", "30", "--d-model", "32", "--layers", "2", "--heads", "2",
                    "--context", "16", "--threads", "1", "--quiet"], check=True)
    return str(out)
