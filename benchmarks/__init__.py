"""The build benchmark (``benchmark.py``, run by ``scripts/benchmark``) and its latest results."""
