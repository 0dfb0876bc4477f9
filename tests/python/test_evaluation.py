"""evaluate_word_analogies and evaluate_word_pairs: gensim's return shapes, the figures gensim
computed for the committed fixture (tests/data/eval_tiny/expected.json), and, when gensim is
installed, agreement with it run side by side on the same file."""
import json

import pytest

import wordspace
from conftest import DATA, EVAL_TINY

EXPECTED = json.loads((EVAL_TINY / "expected.json").read_text())
QUESTIONS = str(EVAL_TINY / "questions.txt")
PAIRS = str(EVAL_TINY / "pairs.tsv")
RESTRICT = EXPECTED["restrict"]


def test_analogies_match_gensims_recorded_figures(kv):
    score, sections = kv.evaluate_word_analogies(QUESTIONS, restrict_vocab=RESTRICT)
    assert score == pytest.approx(EXPECTED["analogy_add"]["accuracy"])
    total = sections[-1]
    assert total["section"] == "Total accuracy"
    assert len(total["correct"]) == EXPECTED["analogy_add"]["correct"]
    assert len(total["correct"]) + len(total["incorrect"]) == EXPECTED["analogy_add"]["seen"]
    for got, want in zip(sections[:-1], EXPECTED["analogy_add_sections"]):
        assert got["section"] == want["name"]
        assert len(got["correct"]) == want["correct"]
        assert len(got["correct"]) + len(got["incorrect"]) == want["seen"]
    quad = total["correct"][0]
    assert isinstance(quad, tuple) and len(quad) == 4 and all(w == w.upper() for w in quad)
    sensitive = kv.evaluate_word_analogies(QUESTIONS, restrict_vocab=RESTRICT,
                                           case_insensitive=False)[1]
    assert any(w != w.upper() for q in sensitive[-1]["correct"] for w in q)
    mul_score, _ = kv.evaluate_word_analogies(QUESTIONS, restrict_vocab=RESTRICT, method="3cosmul")
    assert 0 < mul_score <= 1


def test_pairs_match_gensims_recorded_figures(kv):
    pearson, spearman, oov = kv.evaluate_word_pairs(PAIRS)
    assert spearman[0] == pytest.approx(EXPECTED["pairs"]["spearman"], abs=1e-6)
    assert spearman.correlation == spearman.statistic == spearman[0]
    assert 0 <= spearman.pvalue < 1e-3 and 0 <= pearson.pvalue < 1e-3
    assert oov == pytest.approx(100.0 * (EXPECTED["pairs"]["pairs_total"] - EXPECTED["pairs"]["pairs_used"])
                                / EXPECTED["pairs"]["pairs_total"])
    few = kv.evaluate_word_pairs(PAIRS, restrict_vocab=300)
    assert few[2] > oov


def test_bad_benchmark_files(kv, tmp_path):
    with pytest.raises(FileNotFoundError):
        kv.evaluate_word_analogies(str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text(": sec\nking queen man\n")
    with pytest.raises(ValueError, match=r"bad\.txt:2"):
        kv.evaluate_word_analogies(str(bad))
    with pytest.raises(ValueError):
        kv.evaluate_word_analogies(QUESTIONS, method="3cosbogus")
    none = tmp_path / "none.tsv"
    none.write_text("zzzq zzzr 1.0\n")
    with pytest.raises(ValueError, match="none of the"):
        kv.evaluate_word_pairs(str(none))


def test_the_shipped_benchmarks_run(kv):
    score, sections = kv.evaluate_word_analogies(str(DATA / "questions-words.txt"))
    assert len(sections) == 15  # 14 sections and the total
    assert 0 <= score <= 1
    pearson, spearman, oov = kv.evaluate_word_pairs(str(DATA / "wordsim353.tsv"))
    assert 0 < oov < 100


@pytest.fixture(scope="module")
def gensim_kv():
    models = pytest.importorskip("gensim.models", reason="gensim is not installed "
                                 "(bash scripts/setup.sh --interop): no side-by-side check")
    return models.KeyedVectors.load_word2vec_format(str(EVAL_TINY / "vectors.bin"), binary=True)


def test_agrees_with_gensim_side_by_side(kv, gensim_kv):
    g = gensim_kv
    for word in ["king", "paris", "the", "PARIS", "good"]:
        ours = kv.most_similar(word, topn=10)
        theirs = g.most_similar(word, topn=10)
        assert [w for w, _ in ours] == [w for w, _ in theirs], word
        assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], abs=1e-5)
    q = dict(positive=["paris", "germany"], negative=["france"], topn=10)
    assert [w for w, _ in kv.most_similar(**q)] == [w for w, _ in g.most_similar(**q)]
    assert [w for w, _ in kv.most_similar_cosmul(**q)] == [w for w, _ in g.most_similar_cosmul(**q)]
    assert [s for _, s in kv.most_similar_cosmul(**q)] == pytest.approx(
        [s for _, s in g.most_similar_cosmul(**q)], abs=1e-5)
    ours_r = kv.most_similar("king", topn=5, restrict_vocab=200)
    theirs_r = g.most_similar("king", topn=5, restrict_vocab=200)
    assert [w for w, _ in ours_r] == [w for w, _ in theirs_r]
    assert [s for _, s in ours_r] == pytest.approx([s for _, s in theirs_r], abs=1e-5)
    assert kv.doesnt_match(["king", "queen", "prince", "paris"]) == g.doesnt_match(
        ["king", "queen", "prince", "paris"])
    assert kv.similarity("king", "queen") == pytest.approx(float(g.similarity("king", "queen")), abs=1e-6)

    ours = kv.evaluate_word_analogies(QUESTIONS, restrict_vocab=RESTRICT)
    theirs = g.evaluate_word_analogies(QUESTIONS, restrict_vocab=RESTRICT)
    assert ours[0] == pytest.approx(theirs[0])
    assert ours[1] == theirs[1]  # every section, every question in the same list

    (p, s, oov) = kv.evaluate_word_pairs(PAIRS)
    (gp, gs, goov) = g.evaluate_word_pairs(PAIRS)
    assert p[0] == pytest.approx(gp[0], abs=1e-6) and p[1] == pytest.approx(gp[1], rel=1e-4)
    assert s[0] == pytest.approx(gs[0], abs=1e-6) and s[1] == pytest.approx(gs[1], rel=1e-4)
    assert oov == pytest.approx(goov)
