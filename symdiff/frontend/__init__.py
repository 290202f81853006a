"""The frontend: a Python function (or a function in a file) to the IR.

parse.py reads the source and resolves its free names; lower.py lowers the
function's body, dispatching each construct to its own module: arrays.py
(indexing, array attributes and methods), branches.py (if/else, boolean
operators), calls.py (the user's own functions), library.py (math and NumPy
calls), lists.py (list accumulators), containers.py (tuples, lists and dicts as
values: parameters, displays, items, unpacking), loops.py (for and while loops,
after desugar.py rewrote their syntax), receivers.py (a method's self). Below those
sit the modules they share: state.py (the lowering state and emitting
equations), scope.py (free names), params.py (binding parameters), values.py
(what a name can be bound to) and syntax.py (questions about the syntax tree).
"""
