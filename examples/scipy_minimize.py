"""Minimize the Rosenbrock function with SciPy, using symdiff's gradient as `jac`.

Needs SciPy (`pip install scipy`), which symdiff itself does not.

    python examples/scipy_minimize.py
"""

import numpy as np

import symdiff


def rosenbrock(x):
    """sum of 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2."""
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def main():
    from scipy.optimize import minimize

    start = np.array([-1.2, 1.0, -0.5, 0.8, 1.5])
    jac = symdiff.grad(rosenbrock)
    result = minimize(rosenbrock, start, jac=jac, method="BFGS")
    print(f"converged: {result.success}, {result.nit} iterations, {result.njev} gradient calls")
    print(f"minimum at {np.round(result.x, 6)}, f = {result.fun:.2e}")
    print("\nThe gradient symdiff generated for the 5-vector:\n")
    print(jac.source)


if __name__ == "__main__":
    main()
