"""wordspace.bias: WEAT, directions, projections and debiasing on a planted space, and on the
shipped word lists."""
import numpy as np
import pytest

import wordspace
from conftest import DATA


def planted():
    """A space where 'flower' words lie near 'pleasant' words and 'insect' words near
    'unpleasant' ones along axis 0; 'he'/'she' differ only along axis 1."""
    rng = np.random.default_rng(3)
    words, rows = [], []
    for name, sign in [("flower", 1), ("insect", -1), ("pleasant", 1), ("unpleasant", -1)]:
        for i in range(8):
            v = rng.normal(scale=0.3, size=6)
            v[0] += 2 * sign
            words.append(f"{name}{i}")
            rows.append(v)
    for w, s in [("he", 1), ("she", -1), ("man", 1), ("woman", -1)]:
        v = np.zeros(6)
        v[1] = s
        v[2] = 1
        words.append(w)
        rows.append(v)
    words.append("nurse")
    rows.append(np.array([0.1, -0.5, 1, 0, 0, 0]))
    return wordspace.KeyedVectors(words, np.array(rows, dtype=np.float32))


def test_weat_finds_the_planted_association():
    kv = planted()
    test = {"X": [f"flower{i}" for i in range(8)], "Y": [f"insect{i}" for i in range(8)],
            "A": [f"pleasant{i}" for i in range(8)], "B": [f"unpleasant{i}" for i in range(8)]}
    r = wordspace.bias.weat(kv, test)
    assert r["computed"] and r["effect_size"] > 1.5
    assert r["exact"] and r["partitions"] == 12870  # C(16, 8)
    assert r["p_value"] == pytest.approx(1 / 12870)
    assert r["associations"].shape == (16,)
    flipped = wordspace.bias.weat(kv, {**test, "X": test["Y"], "Y": test["X"]})
    assert flipped["effect_size"] == pytest.approx(-r["effect_size"])
    many = wordspace.bias.weat(kv, {"one": test, "two": {**test, "A": ("Nice", test["A"])}})
    assert [m["test"] for m in many] == ["one", "two"] and many[1]["set_names"][2] == "Nice"
    with pytest.raises(ValueError, match="'B'"):
        wordspace.bias.weat(kv, {"X": ["he"], "Y": ["she"], "A": ["man"]})


def test_weat_from_the_shipped_file(kv):
    results = wordspace.bias.weat(kv, str(DATA / "weat.tsv"), names=["weat1", "weat7"],
                                  permutations=2000, seed=5)
    assert [r["test"] for r in results] == ["weat1", "weat7"]
    assert all(isinstance(r["missing"], list) for r in results)
    with pytest.raises(ValueError, match="weat99"):
        wordspace.bias.weat(kv, str(DATA / "weat.tsv"), names=["weat99"])
    with pytest.raises(FileNotFoundError):
        wordspace.bias.weat(kv, str(DATA / "no-such.tsv"))


def test_direction_projection_and_debias():
    kv = planted()
    g = wordspace.bias.direction(kv, [("he", "she"), "man:woman"])
    assert g["direction"].shape == (6,)
    assert abs(g["direction"][1]) == pytest.approx(1.0, abs=1e-6)
    assert g["variance_shares"][0] == pytest.approx(1.0, abs=1e-6)
    assert g["used_pairs"] == [("he", "she"), ("man", "woman")]
    p = wordspace.bias.project(kv, ["nurse", "he", "unknownword"], g)
    assert p["missing"] == ["unknownword"]
    assert p["projections"]["nurse"] < 0 < p["projections"]["he"]
    ext = wordspace.bias.extremes(kv, g, top=2)
    assert {w for w, _ in ext["positive"]} == {"he", "man"}
    debiased, report = wordspace.bias.debias(kv, [("he", "she")], ["he", "she", "man", "woman"],
                                             [("man", "woman")], report_words=["nurse"])
    assert report["words"][0]["word"] == "nurse"
    assert abs(report["words"][0]["after"]) < 1e-6 < abs(report["words"][0]["before"])
    after = wordspace.bias.project(debiased, ["nurse"], g["direction"])
    assert abs(after["projections"]["nurse"]) < 1e-6
    assert np.array_equal(kv["nurse"], planted()["nurse"])  # the input is not changed
    with pytest.raises(ValueError):
        wordspace.bias.direction(kv, [("unknown1", "unknown2")])
    with pytest.raises(ValueError, match="dimension"):
        wordspace.bias.project(kv, ["nurse"], np.zeros(3))


def test_shipped_bolukbasi_lists(kv):
    folder = DATA / "bolukbasi"
    g = wordspace.bias.direction(kv, str(folder / "definitional_pairs.tsv"))
    assert len(g["used_pairs"]) >= 1
    debiased, report = wordspace.bias.debias(kv, str(folder / "definitional_pairs.tsv"),
                                             str(folder / "gender_specific_full.txt"),
                                             str(folder / "equalize_pairs.tsv"))
    assert len(debiased) == len(kv)
    assert report["max_abs_projection_after"] < 1e-5
