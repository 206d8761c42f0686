"""Evaluation suite: datasets, metrics, baselines and benchmarks."""
