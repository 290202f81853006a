"""An ODE solved with the classical Runge-Kutta method, for the symdiff CLI.

    symdiff examples/ode.py:rk4 --wrt k,y0            # the gradient code: a loop and its tape
    symdiff examples/ode.py:rk4 --wrt k,y0 --check    # checked in about a second
    symdiff explain examples/ode.py:rk4 --at k=0.7,y0=1.3

Ten steps make SymPy's closed form a tree of 7.8e17 nodes (the same 230 nodes,
shared over and over), so `--check` and `explain` compare the gradient with
central differences of rk4 evaluated to 30 digits instead of differentiating
the closed form (see "Checks have a budget" in the README).

symdiff reads this file statically; it never imports or runs it.
"""

import math


def rk4(k, y0, n=10):
    """y(1) for y' = -k y + sin(y), y(0) = y0, in n steps of h = 1/n."""
    h = 1.0 / n
    y = y0
    for i in range(n):
        k1 = -k * y + math.sin(y)
        k2 = -k * (y + 0.5 * h * k1) + math.sin(y + 0.5 * h * k1)
        k3 = -k * (y + 0.5 * h * k2) + math.sin(y + 0.5 * h * k2)
        k4 = -k * (y + h * k3) + math.sin(y + h * k3)
        y = y + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return y
