"""Fakes shipped with Sheriff for tests, benchmarks and demos.

- ``sheriff.testing.fakegithub``: a GitHub REST API server seeded from real CI logs
  (``python -m sheriff.testing.fakegithub --port P --seed DIR``).
"""
