"""Updates in place (inplace_cases.py): `x[idx] = v`, `x[idx] op= v` and `x op= v` are
new versions of x (a setitem each), checked against central differences in reverse and
forward mode; the generated code writes in place only into arrays of its own, never
into an argument, and a buffer filled slot by slot in a loop needs no tape. Updates
another name would see are refused, located."""

import re

import numpy as np
import pytest

import symdiff

from .cases import inplace_cases as cases
from .support.helpers import defined

H = 1e-6
RNG = np.random.default_rng(11)
X3, X4 = RNG.normal(size=3), RNG.normal(size=4)
A23, A32, A33 = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 2)), RNG.normal(size=(3, 3))

DIFFERENTIATED = [
    (cases.int_index, (X4,)), (cases.negative_int_index, (X4,)), (cases.slice_index, (X4,)),
    (cases.stepped_slice, (X4,)), (cases.row_and_column, (A33, X3)), (cases.whole_slice, (X3,)),
    (cases.ellipsis_index, (A23,)), (cases.new_axis_index, (X3,)), (cases.arange_index, (X3,)),
    (cases.list_index, (X4,)), (cases.clamp_at_a_mask, (X4,)), (cases.scale_at_a_named_mask, (X4,)),
    (cases.scalar_broadcast, (A33, 0.7)), (cases.broadcast_row, (A32, X3[:2])),
    (cases.add_into_item, (X4, 0.3)), (cases.sub_from_slice, (X4, 0.3)), (cases.mul_into_slice, (X4, 0.3)),
    (cases.div_into_item, (X4, 1.3)), (cases.pow_into_item, (X4,)), (cases.whole_array_updates, (X3, X3[::-1])),
    (cases.updates_a_parameter, (X3,)), (cases.buffer_in_a_loop, (0.5 * A33, RNG.normal(size=(4, 3)))),
    (cases.accumulate_in_a_loop, (RNG.normal(size=5), RNG.normal(size=5))), (cases.overwritten_slots, (X4,)),
    (cases.reads_the_last_slot_first, (X3,)), (cases.updates_a_parameter_in_a_loop, (X4,)),
    (cases.scales_each_entry_by_the_one_before, (X4,)), (cases.reads_its_own_slot_first, (X4, X4[::-1])),
    (cases.whole_array_in_a_loop, (X3,)), (cases.update_in_a_branch, (X3,)), (cases.update_in_a_branch, (-X3,)),
    (cases.named_previous_slot, (0.5 * A33, RNG.normal(size=(4, 3)))), (cases.while_loop_fills, (X4,)),
    (cases.helper_fills_its_own_buffer, (X3,)), (cases.number_read_before_the_write, (X3,)),
    (cases.branch_in_a_loop, (X4,)), (cases.chained_names, (X3,)), (cases.chained_items, (X3,)),
    (cases.copied_alias, (X3,)), (cases.two_buffers, (X3,)),
    (cases.alias_not_read_again, (X3,)), (cases.view_of_a_buffer_read_before, (A23,)),
    (cases.pair_energy, (X4, X4[::-1] * 0.5)),
]
IDS = [f"{fun.__name__}-{k}" for k, (fun, _) in enumerate(DIFFERENTIATED)]


def copies(args) -> list:
    """Fresh copies: the functions change their array arguments in place."""
    return [{k: np.array(v) for k, v in a.items()} if isinstance(a, dict)
            else np.array(a, dtype=float) if np.ndim(a) else float(a) for a in args]


def central(fun, args, index):
    """Central differences of `fun` in argument `index`, entry by entry."""
    x = np.asarray(args[index], dtype=float)
    grad = np.zeros(x.shape)
    for entry in np.ndindex(x.shape):
        up, down = copies(args), copies(args)
        if x.shape:
            up[index][entry] += H
            down[index][entry] -= H
        else:
            up[index], down[index] = up[index] + H, down[index] - H
        grad[entry] = (fun(*up) - fun(*down)) / (2 * H)
    return grad


def assert_close(actual, expected, what):
    actual = np.asarray(actual, dtype=float)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    assert np.allclose(actual, expected, rtol=1e-6, atol=1e-7), (what, actual, expected)


@pytest.mark.parametrize("fun, args", DIFFERENTIATED, ids=IDS)
def test_gradient_matches_central_differences(fun, args):
    wrt = tuple(range(len(args)))
    given = copies(args)
    grads = symdiff.grad(fun, wrt=wrt)(*given)
    for index, grad in zip(wrt, grads, strict=True):
        assert_close(grad, central(fun, args, index), f"{fun.__name__} d/d{index}")
    for before, after in zip(copies(args), given, strict=True):  # (the gradient changed no argument)
        assert np.array_equal(before, after), (fun.__name__, before, after)


@pytest.mark.parametrize("fun, args", DIFFERENTIATED, ids=IDS)
def test_forward_mode_matches_central_differences(fun, args):
    wrt = tuple(range(len(args)))
    rng = np.random.default_rng(5)
    directions = [rng.normal(size=np.shape(a)) if np.ndim(a) else float(rng.normal()) for a in args]
    value, tangent = symdiff.jvp(fun, wrt=wrt)(*copies(args), *directions)
    up = [a + H * d for a, d in zip(copies(args), directions, strict=True)]
    down = [a - H * d for a, d in zip(copies(args), directions, strict=True)]
    expected = (fun(*up) - fun(*down)) / (2 * H)
    assert value == pytest.approx(fun(*copies(args)), rel=1e-12)
    assert tangent == pytest.approx(expected, rel=1e-6, abs=1e-7), fun.__name__


def test_an_int_array_adjoint_is_not_added_into_in_place():
    # accumulate.py must not add x[0]'s adjoint into y, an array of ints, in place
    x = np.array([0.1, 0.2, 0.3])
    grad = symdiff.grad(cases.int_array_beside_a_read)(x.copy())
    assert np.allclose(grad, [1.5, 1.0, 2.0]), grad


def test_hessian_of_a_loop_filling_a_buffer_matches_differences_of_its_gradient():
    x = np.array([0.3, -0.8, 0.5])
    hessian = symdiff.hessian(cases.whole_array_in_a_loop)(x.copy())
    gradient = symdiff.grad(cases.whole_array_in_a_loop)
    expected = np.stack([(gradient(x + H * e) - gradient(x - H * e)) / (2 * H) for e in np.eye(3)], axis=1)
    assert hessian.shape == (3, 3)
    assert np.allclose(hessian, expected, rtol=1e-6, atol=1e-6), (hessian, expected)
    assert np.allclose(hessian, hessian.T, atol=1e-9)


def test_hessian_of_an_index_update_has_its_closed_form():
    # int_index: y = x with y[1] = 3 x0; f = sum(sin(y) * x): d2f/dx0^2 = -9 x1 sin(3 x0)
    x = np.array([0.4, -0.7, 1.1, 0.2])
    hessian = symdiff.hessian(cases.int_index)(x.copy())
    assert hessian[0, 0] == pytest.approx(-9.0 * x[1] * np.sin(3 * x[0]) - np.sin(x[0]) * x[0]
                                          + 2 * np.cos(x[0]), rel=1e-10)
    assert hessian[0, 1] == pytest.approx(3.0 * np.cos(3 * x[0]), rel=1e-10)


@pytest.mark.parametrize("fun, args", [
    (cases.int_index, (X4,)), (cases.row_and_column, (A33, X3)), (cases.whole_array_in_a_loop, (X3,)),
    (cases.buffer_in_a_loop, (0.5 * A33[:2, :2], RNG.normal(size=(3, 2)))), (cases.update_in_a_branch, (X3,)),
    (cases.scales_each_entry_by_the_one_before, (X3,)), (cases.mul_into_slice, (X4, 0.3)),
], ids=lambda v: getattr(v, "__name__", ""))
def test_gradient_agrees_with_sympys_closed_form(fun, args):
    report = symdiff.verify(fun, wrt=tuple(range(len(args))), args=copies(args), points=3)
    assert "verified" in str(report) and "max relative error" in str(report), str(report)


# ---------------------------------------------------------------- the code generated

def source(fun, *args, wrt=0):
    derivative = symdiff.grad(fun, wrt=wrt)
    derivative(*copies(args))
    return derivative.source


def test_a_buffer_filled_in_a_loop_is_written_in_place_with_no_tape():
    text = defined(source(cases.buffer_in_a_loop, 0.5 * A33, RNG.normal(size=(4, 3))), "grad_buffer_in_a_loop")
    assert "h = np.zeros((4, 3))" in text
    assert re.search(r"^\s+h\w*\[t\] = ", text, re.MULTILINE), text
    assert "tape" not in text and "_setitem" not in text and "np.copy" not in text, text
    assert re.search(r"^\s+h\w*_bar\w*\[\w+\] \+= ", text, re.MULTILINE), text  # (the adjoint, slot by slot)


def test_np_empty_is_a_buffer_written_in_place():
    text = defined(source(cases.named_previous_slot, 0.5 * A33, RNG.normal(size=(4, 3))), "grad_named_previous_slot")
    assert "h = np.zeros((4, 3))" in text and "tape" not in text and "_setitem" not in text, text


def test_an_accumulating_loop_adds_into_its_buffer_in_place():
    text = defined(source(cases.accumulate_in_a_loop, RNG.normal(size=5), RNG.normal(size=5)),
                   "grad_accumulate_in_a_loop")
    assert re.search(r"^\s+out\w*\[[^]]+\] \+= ", text, re.MULTILINE), text
    assert "tape" not in text and "_setitem" not in text and "_additem" not in text, text
    # (out[i] += v passes out's adjoint on whole: nothing zeroed, nothing saved; the gradients
    # of w and x are accumulated entry by entry)
    assert " = 0.0" not in text and ".copy()" not in text, text
    assert re.search(r"^\s+w_bar\w*\[k\w*\] \+= ", text, re.MULTILINE), text


def test_reads_in_nested_loops_accumulate_their_adjoints_entry_by_entry():
    """x[i] and x[j] read per pair: two `+=` per pair into the inner loop's accumulator, not
    two arrays of x's size per pair (O(n) per pair, O(n^3) in all)."""
    text = defined(source(cases.pair_energy, X4, X4, wrt=(0, 1)), "grad_pair_energy")
    assert len(re.findall(r"^\s+x_bar\w*\[[ij]\w*\] \+= ", text, re.MULTILINE)) == 2, text
    assert "_scatter" not in text and "_additem" not in text, text
    # (the inner loop adds into the outer adjoint itself: no zeros, sum or copy per i; the
    # adjoint's seed 1.0, carried through both loops, is folded into the inner body)
    assert text.count("np.zeros") == 2 and "np.copy" not in text and "e_bar" not in text, text
    assert not re.search(r"= x_bar\w* \+ x_bar", text), text


@pytest.mark.parametrize("fun", [cases.overwritten_slots, cases.scales_each_entry_by_the_one_before])
def test_slots_read_before_they_are_written_go_on_the_tape_as_copies(fun):
    text = defined(source(fun, X4), f"grad_{fun.__name__}")
    assert "tape.append" in text and "_setitem(" in text, text


def test_a_parameter_written_in_a_loop_is_copied_once_on_entry():
    text = defined(source(cases.updates_a_parameter_in_a_loop, X4), "grad_updates_a_parameter_in_a_loop")
    assert re.search(r"= np\.copy\(x\)", text), text
    assert "_setitem" not in text, text


def test_a_slot_read_before_it_is_written_is_read_from_the_array_before_the_loop():
    text = defined(source(cases.reads_its_own_slot_first, X4, X4[::-1]), "grad_reads_its_own_slot_first")
    assert "tape" not in text and "_setitem" not in text, text
    assert text.count("np.copy(x)") == 1, text  # (the caller's x, read by the adjoint, stays as it was)
    backwards = text[text.index("backwards"):]
    assert re.search(r"\bx\[i_1\]", backwards) and re.search(r"\bx_\d+\[b_1\]", backwards), text


def test_a_parameter_written_outside_loops_is_updated_on_a_copy():
    text = defined(source(cases.updates_a_parameter, X3), "grad_updates_a_parameter")
    assert "_setitem(x, " in text and not re.search(r"^\s+x\[", text, re.MULTILINE), text


def test_an_entry_read_before_it_is_zeroed_in_place_is_copied():
    # y[1] = v: y's adjoint is zeroed at [1] in place, after v's adjoint has read a copy of it
    text = defined(source(cases.int_index, X4), "grad_int_index")
    lines = text.splitlines()
    zeroed = next(i for i, line in enumerate(lines) if re.search(r"\w+\[1\] = 0\.0", line))
    assert any(re.search(r"= \w+\[1\]\.copy\(\)", line) for line in lines[:zeroed]), text


# ---------------------------------------------------------------- refused

REFUSED = [
    (cases.alias_read_later, (X3,), r"y\[0\] writes into y, and x is \(or holds\) the same array.*y = y\.copy\(\).*x = x\.copy\(\)"),
    (cases.row_view_written, (A23,), r"row\[:\] writes into row, and B is \(or holds\) the same array.*row = row\.copy\(\)"),
    (cases.asarray_view_written, (X3,), r"v\[0\] writes into v, and x is \(or holds\) the same array.*v = v\.copy\(\)"),
    (cases.transposed_view_written, (A23,), r"T\[0\] writes into T, and B is \(or holds\) the same array"),
    (cases.alias_in_a_loop, (X3,), r"y\[i\] writes into y, and z is \(or holds\) the same array"),
    (cases.view_seen_after_a_loop_writes, (X3,), r"s\[i\] writes into s, and first is \(or holds\) the same array"),
    (cases.helper_mutates_its_argument, (X3,), r"a\[0\] writes into a, which the helper _helper_that_writes "
     r"was given.*a = a\.copy\(\)"),
    (cases.nested_subscript, (A23,), r"B\[0\]\[1\] writes into B\[0\].*x\[i, j\] = v"),
    (cases.list_element, (X3,), r"element of the list ys.*append"),
    (cases.dict_entry, ({"W": X3},), r"params\['W'\] changes the dict params in place.*\{\*\*params"),
    (cases.entry_of_a_dict_entry, ({"W": X3},), r"writes into params\['W'\], an entry of params.*"
     r"w = params\['W'\]\.copy\(\)"),
    (cases.leaf_of_a_dict_written, ({"W": X3}, X3), r"W\[0\] writes into W, and params is \(or holds\) the same"),
    (cases.array_held_by_a_tuple_written, (X3,), r"y\[0\] writes into y, and t is \(or holds\) the same"),
    (cases.helper_returns_its_argument, (X3,), r"y\[0\] writes into y, and x is \(or holds\) the same"),
    (cases.Model().loss, (X3,), r"w\[0\] writes into w, an array of the method's object.*w = w\.copy\(\)"),
    (cases.float_into_an_int_array, (X3,), r"writes a float into an array of integers.*np\.arange\(3\.0\)"),
    (cases.into_a_number, (X3,), r"s\[0\] writes into s, which is a number"),
    (cases.repeated_index_array, (X3, np.array([0, 0, 1])), r"y\[idx\] writes at an index array that may repeat"),
    (cases.array_at_a_mask, (X3,), r"writes a value of shape \(3,\) at a boolean mask.*np\.where"),
    (cases.value_does_not_fit, (X3,), r"shape \(3,\) does not broadcast to the place of shape \(2,\)"),
    (cases.grows_in_place, (X3, A23), r"y \+= \.\.\. changes y in place, which keeps its shape \(3,\)"),
]


@pytest.mark.parametrize("fun, args, message", REFUSED, ids=[f.__qualname__ for f, _, _ in REFUSED])
def test_updates_another_name_would_see_are_refused_where_they_are_written(fun, args, message):
    with pytest.raises(symdiff.SymdiffError) as caught:
        symdiff.grad(fun)(*copies(args))
    text = str(caught.value)
    assert re.match(r"^.*inplace_cases\.py:\d+:\d+: ", text), text
    assert re.search(message, text), text
    line = int(text.split("inplace_cases.py:")[1].split(":")[0])
    written = open(cases.__file__).read().splitlines()[line - 1]
    assert "=" in written and "def " not in written, written  # (located at the update itself)
