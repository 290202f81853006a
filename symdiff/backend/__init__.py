"""IR -> Python: the ast and source text of a module (emit.py; if/else blocks and
loops in blocks.py), compiled into a function; the check at its entry (arguments.py)."""
