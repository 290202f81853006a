"""Checking derivatives against SymPy. The checks of a function of numbers (scalars.py)
and of array code (arrays.py) compare the generated derivative, at points drawn where
the function is defined (sampling.py), with what symbolic execution of the IR
(symbolic.py) makes of it, and return a report (report.py); budget.py bounds the work
that costs."""
