"""The tests' own machinery: the SymPy reference built from the same function objects,
the random program generator, a DOT grammar, and small helpers."""
