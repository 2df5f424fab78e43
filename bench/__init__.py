"""Benchmarks that print JSON (python -m bench.run)."""
