"""Functions that take, build and unpack containers (tuples, lists, dicts), for
tests/test_containers.py. Each is ordinary Python that runs as written."""

import math

import numpy as np


def mlp_dict(params, x, y):
    """A two-layer perceptron whose weights come in a dict."""
    h = np.tanh(params["W1"] @ x + params["b1"])
    out = params["W2"] @ h + params["b2"]
    return 0.5 * np.sum((out - y) ** 2)


def mlp_layers(layers, x, y):
    """A perceptron of any depth: a list of (W, b) pairs, read by a loop."""
    h = x
    for W, b in layers:
        h = np.tanh(W @ h + b)
    return np.sum((h - y) ** 2) / len(layers)


def nested(params, x):
    """A dict holding a tuple and a dict."""
    W, b = params["encoder"]
    code = np.tanh(W @ x + b)
    return np.sum(params["decoder"]["V"] @ code) + params["decoder"]["c"] ** 2


def _layer(p, h):
    """One layer, its weights in a dict."""
    return np.tanh(p["W"] @ h + p["b"])


def _moments(v):
    """A helper returning a tuple."""
    mean = np.mean(v)
    return mean, np.mean((v - mean) ** 2)


def _scaled(p, k):
    """A helper returning a dict."""
    return {"W": p["W"] * k, "b": p["b"] + k}


def with_helpers(params, x):
    """Helpers taking dicts, returning a dict and a tuple."""
    h = _layer(params, x)
    m, v = _moments(h)
    shrunk = _scaled(params, 0.5)
    return m * v + np.sum(_layer(shrunk, x))


def pair_of_numbers(pair, k):
    """A tuple of floats unpacked, with math."""
    a, b = pair
    return math.sin(a) * b + k * a * a


def starred(xs):
    """first, *rest = xs."""
    first, *rest = xs
    return first * sum(rest)


def nested_unpacking(x, y):
    """(a, b), c = ... of a helper returning a nested tuple."""
    (a, b), c = _nested_pair(x, y)
    return a * b + c


def _nested_pair(x, y):
    return (x * y, x + y), np.sin(x)


def tuple_local(x, y):
    """A tuple built, then unpacked and indexed."""
    pair = (x * 2.0, y)
    a, b = pair
    return a * b + pair[1] ** 2


def indexed_tuple(params, x):
    """p[0], p[-1] and len(p) of a tuple of arrays."""
    return np.sum(params[0] * x) * params[-1] + len(params)


def returns_a_dict(x):
    return {"y": x * 2.0}


def keyed_by_number(state, x):
    return state[0] * x


def grows_in_a_loop(x, n):
    pair = (x, x)
    for _ in range(n):
        pair = (pair, x)
    return x


def missing_key(params):
    return np.sum(params["W3"])


def reads_a_number_as_dict(x):
    return x["W"] * 2.0


def unpacks_a_dict(params):
    W, b = params
    return np.sum(W)


def too_many_names(pair):
    a, b, c = pair
    return a * b * c


def swaps_in_a_loop(x, y, n):
    pair = (x, y)
    for _ in range(n):
        pair = (pair[1], pair[0] * 0.5)
    return pair[0] + pair[1]


def grows_in_a_loop_of_values(x, y, n):
    pair = (x, y)
    for _ in range(n):
        pair = (pair, x)
    return x


def chosen_in_a_branch(p, x):
    """A dict chosen by an if, merged key by key."""
    if x > 0.0:
        q = {"a": p["a"] * x, "b": p["b"]}
    else:
        q = {"a": p["b"], "b": p["a"] * 2.0}
    return q["a"] * q["b"] ** 2


def other_structure_in_each_branch(x):
    if x > 0.0:
        pair = (x, x)
    else:
        pair = (x, x, x)
    return pair[0]


def linear_tuple_params(params, X, y):
    """Least squares whose parameters come as a (W, b) tuple, unpacked in the body."""
    W, b = params
    residual = X @ W + b - y
    return np.mean(residual ** 2)


def list_readers(ws, x):
    """A list parameter read by np.stack, sum, np.concatenate, zip, enumerate and range(len)."""
    total = np.sum(np.stack(ws) * x) + np.sum(sum(ws) ** 2) + np.sum(np.concatenate(ws) ** 3)
    for i, w in enumerate(ws):
        total = total + i * np.sum(w * x)
    for i in range(len(ws)):
        total = total + np.sum(np.sin(ws[i]))
    for w, v in zip(ws, ws[1:]):
        total = total + np.sum(w * v)
    return total


def dict_as_number(params):
    return np.sum(params) * 2.0


def loops_over_a_dict(params):
    total = 0.0
    for key in params:
        total = total + np.sum(params[key])
    return total


def polar_tree(p):
    """A tuple in, a dict holding a tuple out."""
    r, t = p
    return {"x": r * np.cos(t), "y": (r * np.sin(t), r * r)}


def layer_outputs(params, x):
    """A dict of arrays in, a dict of an array and a number out."""
    h = np.tanh(params["W"] @ x + params["b"])
    return {"h": h, "norm": np.sum(h * h)}


def indexes_a_call(x, y):
    """An item of what a helper returns: helper(x)[1], len(helper(x))."""
    return _nested_pair(x, y)[1] * _nested_pair(x, y)[0][0] + len(_nested_pair(x, y))


def zipped_layers(layers, scales, x):
    """(W, b), s over zip of a list of pairs and a tuple; a dict display given to a helper."""
    h = x
    for (W, b), s in zip(layers, scales):
        h = _layer({"W": W * s, "b": b}, h)
    first, *middle, last = scales
    return np.sum(h) * first * last + sum(middle)


class Model:
    """A method reading a params dict: refused (containers are taken by functions)."""

    def __init__(self):
        self.scale = 2.0

    def loss(self, params, x):
        return np.sum(params["W"] @ x) * self.scale


def l2_regularized(params, x, y):
    """A loss plus an L2 penalty summed over the dict's values; a loop over its items."""
    penalty = sum(np.sum(v ** 2) for v in params.values())
    scaled = 0.0
    for name, value in params.items():
        scaled = scaled + np.sum(params[name] * value)
    for key in params:
        scaled = scaled + np.sum(np.sin(params[key]))
    return mlp_dict(params, x, y) + 0.01 * penalty + 0.1 * scaled
