"""The frontend: a Python function (or a function in a file) to the IR.

parse.py reads the source and resolves its free names; lower.py and its siblings
lower each construct (arrays.py indexing and methods, branches.py if/else and
boolean operators, calls.py the user's own functions, lists.py list accumulators,
loops.py for and while loops, receivers.py a method's self) to equations on named
intermediates.
"""
