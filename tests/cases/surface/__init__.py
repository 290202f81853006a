"""The functions of autograd_surface.py's corpus, one module per family of NumPy functions,
and table.py, the format of a case (shared with realistic_programs.py)."""
