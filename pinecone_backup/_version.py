"""The package version, sent in the User-Agent and read by the build."""

__version__ = "0.1.0"
