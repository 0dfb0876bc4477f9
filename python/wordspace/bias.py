"""Bias probes: WEAT with permutation tests, bias directions, projections and hard debiasing.

    g = wordspace.bias.direction(kv, "data/bolukbasi/definitional_pairs.tsv")
    wordspace.bias.project(kv, ["nurse", "engineer"], g)
    wordspace.bias.weat(kv, "data/weat.tsv", names=["weat7"])
    debiased, report = wordspace.bias.debias(kv, pairs, specific, equalize)
"""
from ._wordspace import bias as _bias

weat = _bias.weat
direction = _bias.direction
project = _bias.project
extremes = _bias.extremes
debias = _bias.debias

__all__ = ["weat", "direction", "project", "extremes", "debias"]
