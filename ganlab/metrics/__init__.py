"""Metrics: one module per kind of data (2D mixtures, digits)."""
