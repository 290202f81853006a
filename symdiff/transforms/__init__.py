"""IR -> IR passes: reverse mode (reverse.py, loops in reverse_loops.py), forward
mode (forward.py), simplification (simplify.py, with the sums proved zero in
zerosum.py)."""
