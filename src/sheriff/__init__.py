"""Sheriff: an AI build sheriff for GitHub repositories."""

__version__ = "0.1.0"
