"""Modules written by ``tools/generate.py`` from the API facts (``make generate``)."""
