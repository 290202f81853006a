"""Checking derivatives against SymPy: symbolic execution of the IR, the comparison
at random points (symbolic.py; arrays entry by entry in arrays.py), and the bounds on
the work that costs (budget.py)."""
