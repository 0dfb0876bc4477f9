"""Result types shaped as scipy's, which gensim's evaluate_word_pairs returns."""
from collections import namedtuple


class PearsonResult(namedtuple("PearsonResult", ["statistic", "pvalue"])):
    """Pearson's r and its two-sided p-value (scipy.stats.pearsonr's result)."""

    __slots__ = ()

    @property
    def correlation(self):
        return self.statistic


class SpearmanResult(namedtuple("SpearmanResult", ["statistic", "pvalue"])):
    """Spearman's rho and its two-sided p-value (scipy.stats.spearmanr's result)."""

    __slots__ = ()

    @property
    def correlation(self):
        return self.statistic
