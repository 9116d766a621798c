"""The pure core: parsing, decoding, formatting and thresholds.

Nothing in this package imports Textual or performs I/O, so every rule that decides what
a supervisor sees can be tested directly and quickly.
"""
