"""wordspace.LanguageModel on a tiny model trained by the command: next words, log-probabilities,
sampling, the internals as arrays, their agreement with each other, errors and threads."""
import concurrent.futures

import numpy as np
import pytest

import wordspace


@pytest.fixture(scope="module")
def lm(lm_path):
    return wordspace.LanguageModel.load(lm_path)


def test_shape_and_vocabulary(lm):
    assert (lm.d_model, lm.layers, lm.heads, lm.context) == (32, 2, 2, 16)
    assert lm.vocab_size == len(lm.words) == 42
    assert lm.words[:2] == ["<unk>", "</s>"]
    assert lm.trained_steps == 30
    ids = lm.encode("t0w1 t0w2 nosuchword")
    assert ids[2] == 0 and lm.decode(ids[:2]) == "t0w1 t0w2"
    assert lm.tokens("t0w1 nosuchword") == ["</s>", "t0w1", "<unk>"]
    with pytest.raises(ValueError):
        lm.decode([10**6])


def test_next_words_agree_with_log_probs(lm):
    top = lm.next_words("t0w1 t0w2", k=5)
    assert len(top) == 5 and [p for _, p in top] == sorted((p for _, p in top), reverse=True)
    logp = lm.log_probs([1] + lm.encode("t0w1 t0w2"))
    assert logp.shape == (3, 42)
    np.testing.assert_allclose(np.exp(logp).sum(axis=1), 1, atol=1e-5)
    assert lm.words[int(np.argmax(logp[-1]))] == top[0][0]
    assert np.exp(logp[-1]).max() == pytest.approx(top[0][1], rel=1e-5)
    batch = lm.log_probs(np.array([[1, 2, 3], [1, 4, 5]], dtype=np.int32))
    assert batch.shape == (2, 3, 42)
    np.testing.assert_allclose(batch[0], lm.log_probs([1, 2, 3]), atol=1e-6)
    with pytest.raises(ValueError):
        lm.log_probs([1] * (lm.context + 1))
    with pytest.raises(ValueError):
        lm.log_probs([1, 999])


def test_generate_is_seeded(lm):
    a = lm.generate("t0w1", tokens=8, seed=3)
    assert a == lm.generate("t0w1", tokens=8, seed=3)
    assert len(a.split()) == 8
    assert all(w in lm.words for w in a.split())
    with pytest.raises(ValueError):
        lm.generate("t0w1", tokens=0)


def test_internals_fit_together(lm):
    text = "t0w1 t0w2 t0w3"
    t = lm.trace(text)
    T = 4
    assert t["tokens"] == ["</s>", "t0w1", "t0w2", "t0w3"]
    assert t["residual"].shape == (3, T, 32)
    att = lm.attention(text)
    assert att.shape == (2, 2, T, T)
    np.testing.assert_allclose(att.sum(axis=-1), 1, atol=1e-5)
    assert np.allclose(np.triu(att[0, 0], k=1), 0)  # causal: no weight on later words
    h = lm.hidden_states(text)
    np.testing.assert_array_equal(h, t["residual"])
    c = lm.contributions(text)
    total = c["embeddings"] + c["attention"].sum(axis=0) + c["feed_forward"].sum(axis=0)
    np.testing.assert_allclose(total, h[-1], atol=1e-5)
    lens = lm.lens(text)
    assert lens.shape == (3, T, 42)
    np.testing.assert_allclose(lens[-1], lm.log_probs([1] + lm.encode(text)), atol=1e-5)
    assert lm.embedding("t0w1").shape == (32,)


def test_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        wordspace.LanguageModel.load(str(tmp_path / "missing.lm"))
    not_a_model = tmp_path / "text.lm"
    not_a_model.write_text("hello world\n")
    with pytest.raises(ValueError, match="text.lm"):
        wordspace.LanguageModel.load(str(not_a_model))


def test_threads_take_turns(lm):
    prompts = ["t0w1", "t1w2 t1w3", "t2w4", "t3w5 t3w6 t3w7"] * 25
    serial = [lm.next_words(p, k=3) for p in prompts]
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(lambda p: lm.next_words(p, k=3), prompts)) == serial


def test_precision(lm, lm_path):
    """fp32 is the default; bf16 products give nearly the same answers where the CPU has them."""
    assert wordspace.precision() == "fp32"
    reference = lm.log_probs([1] + lm.encode("t0w1 t0w2"))
    assert lm.architecture == "rmsnorm, rotary positions, swiglu 80, no biases"  # lm-train's default
    with pytest.raises(ValueError):
        wordspace.set_precision("fp8")
    try:
        wordspace.set_precision("auto")
        if wordspace.precision() == "bf16":
            bf16 = wordspace.LanguageModel.load(lm_path)
            np.testing.assert_allclose(bf16.log_probs([1] + bf16.encode("t0w1 t0w2")), reference,
                                       atol=0.05)
        else:
            with pytest.raises(wordspace.Error):
                wordspace.set_precision("bf16")
    finally:
        wordspace.set_precision("fp32")
    assert wordspace.precision() == "fp32"
