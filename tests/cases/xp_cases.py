"""Functions for tests/test_xp.py: the Array API backend (`xp="auto"`), issue 18.

`# <-` marks the line an error must point at.
"""

import numpy as np
from array_api_compat import array_namespace


def logistic_nll(w, X, y):
    # the negative log-likelihood of logistic regression, labels y in {0, 1}
    z = X @ w
    return np.sum(np.logaddexp(0.0, z) - y * z)


def written_for_the_standard(w, X, y):
    # as SciPy writes its functions: the arguments' namespace, then the standard's names
    xp = array_namespace(w, X)
    z = X @ w
    penalty = xp.sum(xp.acos(xp.tanh(w) * 0.5)) + xp.sum(xp.concat([w, w ** 2]))
    return xp.sum(xp.log1p(xp.exp(-y * z))) + penalty


def padded(x):
    p = np.pad(x, 1)  # <-
    return np.sum(p[1:] * p[:-1])


def repeated_reads(x, idx):
    # idx may hold an entry twice: its gradient adds both reads
    return np.sum(np.sin(x[idx]))
