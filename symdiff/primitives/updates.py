"""The rows of the primitive table for in-place updates, made functional: `setitem`, `additem`.

`x[index] = v` is lowered (frontend/updates.py) to a new version of x,

    x_1 = setitem(x, v, *index_arrays, index=template)

the array x with v (broadcast to the place) at `index`, x itself left as it was;
later reads of x read x_1. The index is a getitem template (primitives/arrays.py).

setitem is linear in (x, v) together, so its tangent is setitem of the tangents
(zeros for a constant one). Its VJP, for the cotangent g of x_1:

    x_bar = g with g[index] set to 0   (those entries of x were overwritten)
    v_bar = g[index], summed over the axes along which v was broadcast

`x[index] += v` is `x_1 = additem(x, v, *index_arrays, index=template)`, x with v
added at `index`: its VJP passes g to x whole (x_bar = g) and gives v g[index], so the
adjoint of an accumulation reads nothing of x and zeroes nothing.

Where an index array picks an entry twice, NumPy keeps the last value written; the
rule would give each copy of v the cotangent, so such an update is refused where the
index array is known to repeat (see frontend/updates.py).

The emitter (backend/inplace.py) writes the update in place where the old version is
read nowhere after it and is an array of the function's own, and as a copy otherwise.
"""

from __future__ import annotations

import numpy as np

from .arrays import build_index
from .row import Prim


def _setitem(x, v, *arrays, index=()):
    """A copy of x with v at `index` (object arrays where v holds SymPy expressions)."""
    dtype = object if np.asarray(v).dtype == object else None
    out = np.array(x, dtype=dtype)
    out[build_index(index, arrays)] = v
    return out


def _additem(x, v, *arrays, index=()):
    """A copy of x with v added at `index` (as `x[index] += v`: where an index array
    repeats an entry, NumPy adds one value there, the last)."""
    dtype = object if np.asarray(v).dtype == object else None
    out = np.array(x, dtype=dtype)
    out[build_index(index, arrays)] += v
    return out


def _setitem_shape(x, v, *arrays, index=()) -> tuple:
    dummies = [np.zeros(shape, dtype=np.intp) for shape in arrays]
    try:
        place = np.empty(x)[build_index(index, dummies)].shape
        np.broadcast_to(np.empty(v), place)
    except IndexError as exc:
        raise ValueError(str(exc)) from None
    except ValueError:
        raise ValueError(f"a value of shape {tuple(v)} does not broadcast to the place of shape "
                         f"{place} it is written into") from None
    return tuple(x)


def _x_vjp(b, g, out, x, v, *arrays, index=()):
    # (g[index] first: the cotangent of v reads it, and value numbering then finds it
    # before g is overwritten, so the emitter may zero g's entries in place)
    b.getitem(g, *arrays, index=index)
    return b.setitem(g, 0.0, *arrays, index=index)


def _v_vjp(b, g, out, x, v, *arrays, index=()):
    return b.fit(b.getitem(g, *arrays, index=index), b.shape(v))


UPDATE_ROWS = [
    Prim("setitem", 2, {"numpy": "setitem"}, None, vjp=(_x_vjp, _v_vjp), shape=_setitem_shape,
         params=(("index", ()),), linear=True, sample=((-2.0, 2.0), (-2.0, 2.0)), evaluate=_setitem,
         adjoint_text=("{g} with the entries written set to 0", "{g} at the entries written"),
         example=(((4, 3), (3,)), (("index", (("int", 1),)),))),
    Prim("additem", 2, {"numpy": "additem"}, None, vjp=(lambda b, g, out, x, v, *arrays, index=(): g, _v_vjp),
         shape=_setitem_shape, params=(("index", ()),), linear=True, sample=((-2.0, 2.0), (-2.0, 2.0)),
         evaluate=_additem, adjoint_text=("{g}", "{g} at the entries added to"),
         example=(((4, 3), (2, 1)), (("index", (("slice", 1, 3, None), ("slice", None, None, None))),))),
]
