"""Benchmarks: ``python -m benchmarks`` runs every ``bench_*.py`` module here.

Each module has a ``main(argv)`` that measures, prints a table beside a baseline measured
in the same run, and says whether its target is met. Run one alone with
``python -m benchmarks.bench_NAME --help``.
"""
