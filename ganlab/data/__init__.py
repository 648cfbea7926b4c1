"""Data, all of it available offline: toy 2D distributions and 1D mixtures (`toy`), digits (`digits`)."""
from . import digits
from .toy import TOY_NAMES, Mixture1D, ToyDistribution, gaussian1d, toy
