"""Text utilities shared by the stages (no stage imports here): markup cleaning, accent folding, whitespace.

Reads and writes nothing: pure string functions.
"""
