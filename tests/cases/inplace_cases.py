"""Functions that update arrays in place (test_inplace.py): each index kind, each
augmented operator, whole arrays, loops, branches; and updates symdiff refuses because
another name would see the change."""

import numpy as np


# ---------------------------------------------------------------- index kinds

def int_index(x):
    y = x.copy()
    y[1] = x[0] * 3.0
    return np.sum(np.sin(y) * x)


def negative_int_index(x):
    y = np.zeros(4)
    y[-1] = x[2] ** 2
    y[0] = x[1]
    return np.sum(y * np.cos(x))


def slice_index(x):
    y = np.ones(4)
    y[1:3] = x[:2] * x[2:]
    return np.sum(y ** 2 * x)


def stepped_slice(x):
    y = x * 1.0
    y[::2] = np.exp(x[1::2])
    return np.sum(y * x)


def row_and_column(A, v):
    B = A.copy()
    B[1, :] = v * 2.0
    B[:, 0] = np.tanh(B[:, 1])
    return np.sum(B * A)


def whole_slice(x):
    y = np.zeros(3)
    y[:] = x ** 2
    return np.sum(y * x)


def ellipsis_index(A):
    B = np.zeros((2, 3))
    B[..., 1] = A[:, 0] * A[:, 2]
    return np.sum(B ** 2 + A)


def new_axis_index(x):
    y = np.zeros(3)
    y[None, 1] = x[0] * x[2]
    return np.sum(np.sin(y) + x)


def arange_index(x):
    y = np.zeros(5)
    y[np.arange(3)] = x * x
    return np.sum(y * y) + np.sum(x)


def list_index(x):
    y = np.ones(4)
    y[[0, 2]] = np.sin(x[:2])
    return np.sum(y * np.arange(4.0))


def scalar_broadcast(A, s):
    B = A * 1.0
    B[1] = s
    B[:, 2:] = s * A[0, 0]
    return np.sum(B ** 2)


def broadcast_row(A, v):
    B = np.zeros((3, 2))
    B[1:] = v
    return np.sum(B * A)


def clamp_at_a_mask(x):
    y = x * 2.0
    y[y < 0] = 0.0
    return np.sum(y ** 2)


def scale_at_a_named_mask(x):
    y = x * 1.0
    big = x > 0.5
    y[big] *= 3.0
    return np.sum(y ** 2)


# ---------------------------------------------------------------- augmented

def add_into_item(x, s):
    y = x.copy()
    y[0] += s * x[1]
    return np.sum(y ** 2)


def sub_from_slice(x, s):
    y = x * 2.0
    y[1:] -= s
    return np.sum(y ** 3)


def mul_into_slice(x, s):
    y = x + 0.5
    y[:2] *= s
    return np.sum(np.sin(y))


def div_into_item(x, s):
    y = x * 1.0
    y[2] /= s
    return np.sum(y * x)


def pow_into_item(x):
    y = x + 1.0
    y[1] **= 3
    return np.sum(y)


def whole_array_updates(x, v):
    y = x * 1.0
    y += v
    y *= x
    y -= 0.5
    y /= 2.0
    return np.sum(y ** 2)


def updates_a_parameter(x):
    x[0] = x[1] ** 2
    x += 1.0
    return np.sum(x ** 2)


# ---------------------------------------------------------------- loops

def buffer_in_a_loop(W, xs):
    """The RNN shape: each slot written once, reading the one before."""
    T, n = xs.shape[0], W.shape[0]
    h = np.zeros((T, n))
    h[0] = np.tanh(xs[0])
    for t in range(1, T):
        h[t] = np.tanh(W @ h[t - 1] + xs[t])
    return np.sum(h ** 2)


def accumulate_in_a_loop(w, x):
    out = np.zeros(3)
    for k in range(len(w)):
        out[k % 3] += w[k] * x[k]
    return np.sum(np.sin(out))


def overwritten_slots(x):
    """Two slots overwritten again and again: the adjoint needs the values they held."""
    buf = np.zeros(2)
    for i in range(len(x)):
        buf[i % 2] = np.sin(buf[(i + 1) % 2]) + x[i]
    return np.sum(buf ** 2)


def reads_the_last_slot_first(x):
    """At t = 0 h[t - 1] is h[-1], the last slot, written later: no slot is written once."""
    h = np.ones(3)
    for t in range(3):
        h[t] = h[t - 1] * x[t]
    return np.sum(h)


def updates_a_parameter_in_a_loop(x):
    for i in range(1, len(x)):
        x[i] = np.sin(x[i - 1]) * 2.0
    return np.sum(x * x)


def scales_each_entry_by_the_one_before(x):
    """x[i] read before it is written (and x[-1] at i = 0): the adjoint needs old values."""
    for i in range(len(x)):
        x[i] = x[i] * x[i - 1]
    return np.sum(x)


def reads_its_own_slot_first(x, w):
    """x[i] is read before it is written: at iteration i it still holds its value before
    the loop; x[i - 1] was written by the iteration before."""
    for i in range(1, len(x)):
        x[i] = x[i] * np.tanh(x[i - 1] + w[i])
    return np.sum(x ** 2)


def whole_array_in_a_loop(x):
    y = np.zeros(3)
    for k in range(3):
        y += x * (k + 1.0)
        y[k] *= x[k]
    return np.sum(y ** 2)


def named_previous_slot(W, xs):
    """h_prev, a view of the slot before, is read before the write and rebound each iteration."""
    T, n = xs.shape[0], W.shape[0]
    h = np.empty((T, n))
    h[0] = xs[0]
    for t in range(1, T):
        h_prev = h[t - 1]
        h[t] = np.tanh(W @ h_prev + xs[t])
    return np.sum(h ** 2)


def while_loop_fills(x):
    y = np.zeros(4)
    i = 0
    while i < 4:
        y[i] = x[i] * 2.0 + y[i - 1]
        i += 1
    return np.sum(y ** 2)


def _local_buffer(x):
    y = np.zeros(3)
    y[1] = x[0] * x[2]
    return y


def helper_fills_its_own_buffer(x):
    z = _local_buffer(x)
    z[0] = x[1]
    return np.sum(z * x)


def int_array_beside_a_read(x):
    """x's adjoint is the int array y plus x[0]'s: added into a float array, not into y."""
    y = np.arange(3)
    return np.sum(y * x) + x[0] * 1.5


# ---------------------------------------------------------------- branches

def update_in_a_branch(x):
    y = x.copy()
    if x[0] > 0.0:
        y[1] = x[0] * x[2]
    else:
        y[2] += x[1]
    return np.sum(y ** 2)


def branch_in_a_loop(x):
    y = np.zeros(4)
    for i in range(4):
        if x[i] > 0.0:
            y[i] = x[i] ** 2
        else:
            y[i] = -x[i]
    return np.sum(y * x)


# ---------------------------------------------------------------- aliases

def copied_alias(x):
    y = x.copy()
    y[0] = 5.0
    return np.sum(x * y)


def two_buffers(x):
    a = np.zeros(3)
    b = np.zeros(3)
    a[0] = x[0]
    b[1] = x[1]
    return np.sum(a * 2.0 + b * x)


def alias_not_read_again(x):
    y = x
    y[0] = x[1] * 2.0
    return np.sum(y ** 2)


def number_read_before_the_write(x):
    """old = y[0] is a number, not a view: the write leaves it as it was."""
    y = x * 1.0
    old = y[0]
    y[0] = 5.0 * x[2]
    return old * np.sum(y)


def view_of_a_buffer_read_before(A):
    B = A * 1.0
    row = B[0]
    s = np.sum(row * 2.0)
    B[0] = 0.0
    return s + np.sum(B)


# Refused: (function, what the message names)
def alias_read_later(x):
    y = x
    y[0] = 1.0
    return np.sum(x * y)


def row_view_written(A):
    B = A * 1.0
    row = B[0]
    row[:] = 0.0
    return np.sum(B * A)


def asarray_view_written(x):
    v = np.asarray(x)
    v[0] = 0.0
    return np.sum(x * v)


def transposed_view_written(A):
    B = A * 1.0
    T = B.T
    T[0] = 1.0
    return np.sum(B)


def alias_in_a_loop(x):
    y = np.zeros(3)
    z = y
    for i in range(3):
        y[i] = x[i]
    return np.sum(z * x)


def view_seen_after_a_loop_writes(x):
    s = np.zeros(3)
    first = s[0:1]
    for i in range(3):
        s[i] = x[i]
    return np.sum(s) + np.sum(first)


def _helper_that_writes(a):
    a[0] = 0.0
    return np.sum(a)


def helper_mutates_its_argument(x):
    s = _helper_that_writes(x)
    return s + np.sum(x)


def nested_subscript(A):
    B = A * 1.0
    B[0][1] = 2.0
    return np.sum(B)


def list_element(x):
    ys = [x[0], x[1]]
    ys[0] = 2.0
    return ys[0] + ys[1]


def dict_entry(params):
    params["W"] = params["W"] * 2.0
    return np.sum(params["W"])


def entry_of_a_dict_entry(params):
    params["W"][0] = 1.0
    return np.sum(params["W"])


def leaf_of_a_dict_written(params, x):
    W = params["W"]
    W[0] = x[0]
    return np.sum(params["W"] * x)


def array_held_by_a_tuple_written(x):
    y = x * 1.0
    t = (y, 2.0)
    y[0] = 5.0
    return np.sum(t[0])


def _same(a):
    return a


def helper_returns_its_argument(x):
    y = _same(x)
    y[0] = 5.0
    return np.sum(x * y)


class Model:
    """A method that would change its object's array through a local name."""

    def __init__(self):
        self.w = np.ones(3)

    def loss(self, x):
        w = self.w
        w[0] = x[0]
        return np.sum(w * x)


def float_into_an_int_array(x):
    y = np.arange(3)
    y[0] = x[0]
    return np.sum(y * x)


def into_a_number(x):
    s = np.sum(x)
    s[0] = 1.0
    return s


def repeated_index_array(x, idx):
    y = np.zeros(3)
    y[idx] = x
    return np.sum(y)


def array_at_a_mask(x):
    y = x * 1.0
    y[y < 0] = x
    return np.sum(y)


def value_does_not_fit(x):
    y = np.zeros(3)
    y[:2] = x
    return np.sum(y)


def grows_in_place(x, A):
    y = x * 1.0
    y += A
    return np.sum(y)


# ---------------------------------------------------------------- chained assignment

def chained_names(x):
    """a = b = value assigns the value to both (from the left), not b's old value to a."""
    b = np.zeros(3)
    a = b = x * 2.0
    return np.sum(a * b)


def chained_items(x):
    y = np.zeros(3)
    z = np.zeros(3)
    y[0] = z[1] = x[0] * x[2]
    return np.sum(y + z * x)


def pair_energy(x, y):
    """A sum over pairs in two nested loops, each pair reading x[i], x[j] (a Lennard-Jones
    energy's shape): the adjoints of the reads go into two entries per pair."""
    n = x.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = x[i] - x[j]
            dy = y[i] - y[j]
            e = e + 1.0 / (1.0 + dx * dx + dy * dy)
    return e
