"""for loops over range(...) (loop_cases.py): the forward loop records on a tape only
what the adjoint reads, the adjoint loop runs the iterations in reverse, and
straight-line code still gets no tape. Checked against central differences, and
by `symdiff.verify` with the trip count fixed."""

import ast
import inspect
import math
import re

import numpy as np
import pytest

import symdiff

from .cases import loop_cases as cases
from .support.helpers import defined

H = 1e-6


def central(f, args, index):
    up, down = list(args), list(args)
    up[index] += H
    down[index] -= H
    return (f(*up) - f(*down)) / (2 * H)


@pytest.mark.parametrize("fun, args", [
    (cases.sine_map, (0.7, 5)), (cases.sine_map, (-1.3, 1)), (cases.linear_recurrence, (0.7, 6)),
    (cases.loop_in_a_branch, (0.7, 4)), (cases.loop_in_a_branch, (-0.7, 4)),
    (cases.branch_in_a_loop, (1.7, 6)), (cases.branch_in_a_loop, (0.3, 6)),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_scalar_loops_match_central_differences(fun, args):
    assert_matches_central_differences(fun, args)


@pytest.mark.parametrize("fun, args", [
    (cases.reversed_module_tuple, (0.7,)), (cases.reversed_range, (0.7, 4)), (cases.reversed_range, (0.7, 0)),
    (cases.reversed_range_with_a_step, (0.7,)), (cases.reversed_literal, (-0.4,)),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_loops_over_reversed_sequences_match_central_differences(fun, args):
    assert_matches_central_differences(fun, args)


def test_reversed_range_runs_backwards_and_reversed_rows_are_indexed_backwards():
    source = symdiff.grad(cases.reversed_range).source
    assert "for i in range(a, -1, -1):" in source and "a = n - 1" in source
    W = np.array([[0.5, -1.0], [2.0, 0.25], [1.5, 1.0]])
    got = symdiff.grad(cases.reversed_rows, wrt=(0, 1))(W, 0.3)
    # s = ((x/2 + |W2|² x)/2 + |W1|² x)/2 + |W0|² x: row k is weighted by 0.5**k
    weights = 0.5 ** np.arange(3)[:, None]
    np.testing.assert_allclose(got[0], 2 * W * 0.3 * weights, rtol=1e-12)
    np.testing.assert_allclose(got[1], 0.125 + np.sum(np.sum(W ** 2, axis=1) * weights[:, 0]), rtol=1e-12)


@pytest.mark.parametrize("fun, args", [
    (cases.list_after_a_return_in_its_loop, (0.3,)), (cases.list_after_a_return_in_its_loop, (0.9,)),
    (cases.taylor_series_to_n, (0.7, 6)), (cases.taylor_series_to_n, (-1.2, 1)),
    (cases.halvings_until_small, (3.0,)), (cases.halvings_until_small, (0.7,)),
    (cases.appended_in_one_branch, (0.8, 7)), (cases.appended_in_one_branch, (0.8, 0)),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_lists_of_a_length_only_the_values_tell_match_central_differences(fun, args):
    assert_matches_central_differences(fun, args)


def test_a_list_of_unknown_length_is_carried_as_the_aggregates_read():
    source = symdiff.value_and_grad(cases.taylor_series_to_n).source
    # sum, last element and length are carried; no list and no np.stack in the gradient
    assert re.search(r"(terms_sum\w*) = \1 \+ terms_last", source) and re.search(r"(terms_len\w*) = \1 \+ 1", source)
    assert "[]" not in source.replace("tape = []", "") and "stack" not in source
    # the gradient alone needs no sum: the loop carries it no more
    source = symdiff.grad(cases.taylor_series_to_n).source
    assert "terms_sum" not in source.split("backwards")[0] and "terms_len" in source
    source = symdiff.value_and_grad(cases.halvings_until_small).source  # (it reads no sizes[-1])
    assert "sizes_last" not in source and re.search(r"(sizes_sum\w*) = \1 \+ x_1", source)


def test_reading_a_list_of_unknown_length_otherwise_is_refused():
    def stacked(x, n):
        ys = [x]
        for k in range(n):
            ys.append(x * k)
        return np.stack(ys)

    def last_of_maybe_empty(x, n):
        ys = []
        for k in range(n):
            ys.append(x * k)
        return ys[-1]

    with pytest.raises(symdiff.SymdiffError, match=r"np.stack\(ys\): ys is built where its length only"):
        symdiff.grad(stacked)
    with pytest.raises(symdiff.SymdiffError, match=r"ys may be empty here"):
        symdiff.grad(last_of_maybe_empty)


@pytest.mark.parametrize("scale", [0.1, 2.0])  # returns from the loop, or after it
def test_an_array_returned_from_inside_a_loop(scale):
    W = np.array([[0.5, -0.3, 0.8], [0.1, 0.9, -0.4], [-0.7, 0.2, 0.6]])
    x = np.full(3, scale)
    assert_array_gradient_matches_central_differences(cases.loss_of_first_large_state, W, x)


def assert_array_gradient_matches_central_differences(fun, W, *rest):
    """symdiff's gradient of fun(W, *rest) with respect to W, entry by entry."""
    got = symdiff.grad(fun)(W, *rest)
    assert got.shape == W.shape
    for index in np.ndindex(W.shape):
        up, down = W.copy(), W.copy()
        up[index] += H
        down[index] -= H
        expected = (fun(up, *rest) - fun(down, *rest)) / (2 * H)
        assert abs(got[index] - expected) <= 1e-6 * max(1.0, abs(expected)), (index, got[index], expected)


def assert_matches_central_differences(fun, args):
    got = symdiff.grad(fun)(*args)
    expected = central(fun, args, 0)
    assert isinstance(got, float)
    assert abs(got - expected) <= 1e-6 * max(1.0, abs(expected)), (got, expected)


@pytest.mark.parametrize("n", [0, 1, 3])
def test_verify_with_the_trip_count_fixed(n):
    report = symdiff.verify(cases.sine_map, args=(0.5, n))
    assert report.max_error <= 1e-9 and report.points >= 6


def test_a_loop_that_never_runs_gives_the_gradient_without_it():
    assert symdiff.grad(cases.sine_map)(0.7, 0) == 1.0
    assert symdiff.value_and_grad(cases.linear_recurrence)(0.7, 0) == (0.0, 0.0)


def test_the_tape_holds_only_what_the_adjoint_reads():
    body = inspect.getsource(symdiff.grad(cases.sine_map))
    assert body == '''def grad_sine_map(x, n):
    """Gradient of sine_map with respect to x."""
    if not (type(x) is float and type(n) is int):
        _check_arguments('grad_sine_map', 'numbers', x=x, n=n)
    y = x
    tape = []
    # line 11: for i in range(n):
    for i in range(n):
        tape.append((i, y))
        a = math.sin(y)
        y = a * x
    y_bar_2 = 1.0
    x_bar_2 = 0.0
    # line 11, backwards: for i in range(n):
    for i_1, y_3 in reversed(tape):
        a_1 = math.sin(y_3)
        y_1_bar_1 = y_bar_2 + 1.0 * i_1
        a_bar_1 = y_1_bar_1 * x
        y_bar_2 = a_bar_1 * math.cos(y_3)
        x_bar_1 = y_1_bar_1 * a_1
        x_bar_2 = x_bar_2 + x_bar_1
    x_bar_3 = y_bar_2 + x_bar_2
    return x_bar_3
'''  # (s, which the gradient does not need, is no longer computed; s_bar is the constant 1.0)


def test_a_loop_whose_adjoint_needs_only_the_index_counts_it_backwards():
    source = inspect.getsource(symdiff.grad(cases.linear_recurrence))  # (the function, not the helpers)
    # no forward loop at all (its sum is not needed), no tape: the adjoint counts i itself
    assert "tape" not in source and len(re.findall(r"^ *for ", source, re.MULTILINE)) == 1
    assert "for i_1 in reversed(range(n)):" in source
    source = inspect.getsource(symdiff.value_and_grad(cases.linear_recurrence))
    assert "tape" not in source and "for i in range(n):" in source
    assert symdiff.value_and_grad(cases.linear_recurrence)(0.7, 6) == (0.7 * 15, 15.0)


def test_straight_line_code_has_no_tape():
    def f(x):
        return math.sin(x) * x

    assert "tape" not in symdiff.grad(f).source


def test_an_array_recurrence_matches_central_differences():
    rng = np.random.default_rng(1)
    W, h0, x = rng.normal(size=(3, 3)) * 0.5, rng.normal(size=3), rng.normal(size=3)
    gW, gh0 = symdiff.grad(cases.recurrent_tanh, wrt=("W", "h0"))(W, h0, x, 4)
    for got, arg in ((gW, 0), (gh0, 1)):
        args = [W, h0, x, 4]
        expected = np.zeros_like(args[arg])
        for index in np.ndindex(expected.shape):
            up, down = args[arg].copy(), args[arg].copy()
            up[index] += H
            down[index] -= H
            expected[index] = (cases.recurrent_tanh(*[up if i == arg else a for i, a in enumerate(args)])
                               - cases.recurrent_tanh(*[down if i == arg else a for i, a in enumerate(args)])) / (2 * H)
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("wrt", [("shift",), ("y", "decay", "shift"), ("decay", "shift")])
def test_an_outer_array_whose_cotangent_is_the_carried_one(wrt):
    rng = np.random.default_rng(2)
    args = {"y": rng.normal(size=3), "decay": rng.uniform(0.5, 0.9, size=3), "shift": rng.normal(size=3)}
    grads = symdiff.grad(cases.decaying_shift, wrt=wrt)(*args.values(), 3)
    for name, got in zip(wrt, grads, strict=True):
        expected = np.zeros(3)
        for i in range(3):
            up, down = dict(args), dict(args)
            up[name], down[name] = args[name].copy(), args[name].copy()
            up[name][i] += H
            down[name][i] -= H
            expected[i] = (cases.decaying_shift(*up.values(), 3) - cases.decaying_shift(*down.values(), 3)) / (2 * H)
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)


def test_a_loop_changing_a_shape_is_refused():
    def grows(x, n):
        for i in range(n):
            x = np.outer(x, x)
        return np.sum(x)

    with pytest.raises(symdiff.SymdiffError, match="changes the shape"):
        symdiff.grad(grows)(np.ones(2), 2)


def test_verify_asks_for_the_trip_count_when_it_is_a_parameter():
    with pytest.raises(symdiff.VerificationError, match="trip count of this loop depends on a parameter"):
        symdiff.verify(cases.sine_map)


def test_cli_check_of_a_loop_without_its_trip_count_is_one_located_line(capsys):
    from symdiff import cli

    code = cli.main([f"{cases.__file__}:sine_map", "--check"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"{cases.__file__}:") and "trip count" in err


def test_a_while_loop_records_its_iterations_and_replays_them():
    gradient = symdiff.grad(cases.newton_sqrt)
    for a in (0.5, 2.0, 9.0):
        assert abs(gradient(a) - 0.5 / math.sqrt(a)) <= 1e-12
    assert "while looping:" in gradient.source and "for y_3 in reversed(tape):" in gradient.source


@pytest.mark.parametrize("x", [0.7, 3.0, 12.0])  # 12.0: the loop never runs
def test_a_data_dependent_while_loop_matches_central_differences(x):
    got = symdiff.grad(cases.grow_until)(x)
    expected = central(cases.grow_until, (x,), 0)
    assert abs(got - expected) <= 1e-6 * max(1.0, abs(expected)), (got, expected)


def test_verify_follows_a_while_loop_point_by_point():
    report = symdiff.verify(cases.grow_until)
    assert report.points >= 3 and report.max_error <= 1e-9


@pytest.mark.parametrize("fun, args", [
    (cases.break_out_of_inner, (0.4, 3)), (cases.break_out_of_inner, (1.2, 3)),
    (cases.flag_names_taken, (0.6,)), (cases.flag_names_taken, (1.3,)),
    (cases.flag_names_taken, (0.2,)),  # (iterations after the continue, then the break)
    (cases.search_while, (1.1,)), (cases.search_while, (-1.1,)),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_break_and_continue_match_central_differences(fun, args):
    assert_matches_central_differences(fun, args)
    assert symdiff.value_and_grad(fun)(*args)[0] == fun(*args)


def test_break_and_continue_become_flags_that_keep_clear_of_user_names():
    source = inspect.getsource(symdiff.grad(cases.flag_names_taken))  # (the function, not the helpers)
    assert "broke = x" in source and "broke_1 = False" in source, source
    assert source.count("break") == 1 and "        if broke_1:\n            break\n" in source, source


def test_a_range_loop_that_breaks_leaves_and_records_no_more_iterations():
    gradient = symdiff.grad(cases.last_index_used)
    assert "        if broke:\n            break\n" in gradient.source, gradient.source
    taped = []

    def spy(tape):  # the adjoint loop's reversed(tape): what the forward loop recorded
        taped.append(len(tape))
        return reversed(tape)

    gradient.__globals__["reversed"] = spy
    try:
        gradient(1.9, 100)  # breaks at k = 2
    finally:
        del gradient.__globals__["reversed"]
    assert taped == [2], taped


def test_verify_follows_a_loop_that_breaks():
    report = symdiff.verify(cases.break_out_of_inner, args=(0.4, 3))
    assert report.max_error <= 1e-9
    assert symdiff.verify(cases.search_while).max_error <= 1e-9


def test_a_loop_over_a_literal_tuple_is_written_out():
    gradient = symdiff.grad(cases.over_literal_pairs, wrt=(0, 1))
    function = inspect.getsource(gradient)  # (the function, not the helpers)
    assert "for " not in function and "tape" not in function, function
    x, y = 0.3, 1.2
    expected = (2.0 * math.exp(x) - 0.5 * math.exp(0.5 * x) - 0.5 * math.exp(-2.0 * x), -0.5)
    for got, exact in zip(gradient(x, y), expected, strict=True):
        assert abs(got - exact) <= 1e-12 * max(1.0, abs(exact)), (got, exact)
    assert symdiff.value_and_grad(cases.over_literal_pairs, wrt=(0, 1))(x, y)[0] == \
        cases.over_literal_pairs(x, y)


def test_loops_over_zip_and_enumerate_index_their_sequences():
    xs, ys = (0.5, -1.0, 2.0, 0.3), (0.1, 0.4, -0.2)  # zip stops at the shorter
    gradient = symdiff.grad(cases.weighted_pairs)
    assert_matches_central_differences(cases.weighted_pairs, (0.7, xs, ys))
    gradient(0.7, xs, ys)  # (the code is specialized to the tuples' lengths at the first call)
    assert "for index_1 in reversed(range(3)):" in gradient.source and "a_1 = xs[index_1]" in gradient.source, \
        gradient.source
    assert symdiff.verify(cases.weighted_pairs, args=(0.7, xs, ys)).max_error <= 1e-9


def test_a_loop_over_array_rows_matches_central_differences():
    rng = np.random.default_rng(3)
    W, X = rng.normal(size=(3, 4)), rng.normal(size=(5, 4))
    assert_array_gradient_matches_central_differences(cases.row_norms, W, X)


def test_a_list_built_in_a_loop_is_stacked_without_a_list_in_the_gradient():
    xs = (0.5, -1.0, 2.0)
    gradient = symdiff.grad(cases.rnn_hidden_states, wrt=("w", "u"))
    got = gradient(0.3, 0.8, xs)
    for index, name in enumerate(("w", "u")):
        expected = central(cases.rnn_hidden_states, (0.3, 0.8, xs), index)
        assert abs(got[index] - expected) <= 1e-6 * max(1.0, abs(expected)), (name, got, expected)
    assert "np.stack([" in gradient.source and "append" not in gradient.source, \
        gradient.source
    assert symdiff.verify(cases.rnn_hidden_states, wrt=("w", "u"), args=(0.3, 0.8, xs)).max_error <= 1e-9


def test_list_elements_merge_across_branches_and_read_back():
    assert_matches_central_differences(cases.partial_sums, (0.7,))
    assert symdiff.verify(cases.partial_sums).max_error <= 1e-9


@pytest.mark.parametrize("x", [0.3, 1.9])  # (the loop breaks at 1.9)
def test_the_loop_variable_keeps_its_last_value_after_the_loop(x):
    assert_matches_central_differences(cases.last_index_used, (x, 8))
    assert symdiff.value_and_grad(cases.last_index_used)(x, 8)[0] == cases.last_index_used(x, 8)
    assert symdiff.verify(cases.last_index_used, args=(x, 8)).max_error <= 1e-9


@pytest.mark.parametrize("x", [0.5, 0.9, -0.4])  # (returns in the 3rd, the 1st, no iteration)
def test_a_return_in_an_inner_loop_leaves_every_loop(x):
    assert_matches_central_differences(cases.first_crossing, (x, 4))
    assert symdiff.value_and_grad(cases.first_crossing)(x, 4)[0] == cases.first_crossing(x, 4)
    assert symdiff.verify(cases.first_crossing, args=(x, 4)).max_error <= 1e-9


def test_block_comments_name_source_lines_and_only_the_printed_text_has_them():
    from symdiff.backend.emit import emit_module

    gradient = symdiff.grad(cases.last_index_used)
    lines = gradient.source.splitlines()
    source, first = inspect.getsourcelines(cases.last_index_used)
    line = first + next(i for i, text in enumerate(source) if "for k in range(1, n):" in text)
    assert lines.count(f"    # line {line}: for k in range(1, n):") == 1, gradient.source
    assert f"    # line {line}, backwards: for k in range(1, n):" in lines, gradient.source
    module = ast.unparse(ast.fix_missing_locations(emit_module(gradient.derivation.derivative)))
    assert "__symdiff_comment" not in module and "# line" not in module


def test_loops_over_functions_and_module_tuples_are_written_out(capsys):
    from symdiff import cli

    assert_matches_central_differences(cases.through_functions, (0.6,))
    assert symdiff.verify(cases.through_functions).max_error <= 1e-9
    assert cli.main([f"{cases.__file__}:through_functions"]) == 0  # (read statically)
    printed = capsys.readouterr().out
    function = defined(printed, "grad_through_functions")
    assert "math.sin(x)" in function and "np.tanh" in function and "for " not in function, printed


@pytest.mark.parametrize("x", [0.3, 0.9, 1.3])  # (no break, a break, and the return)
def test_jumps_in_loops_that_are_written_out(x):
    assert_matches_central_differences(cases.jumps_in_written_out_loops, (x,))
    value, _ = symdiff.value_and_grad(cases.jumps_in_written_out_loops)(x)
    assert value == cases.jumps_in_written_out_loops(x)


def test_verify_accepts_jumps_in_loops_that_are_written_out():
    assert symdiff.verify(cases.jumps_in_written_out_loops).max_error <= 1e-9


def test_code_a_loop_body_does_not_use_is_not_generated():
    gradient = symdiff.grad(cases.dead_in_body)
    assert "exp" not in inspect.getsource(gradient), gradient.source
    assert gradient(0.3, 4) == 0.5 ** 4


def test_an_adjoint_seed_that_stays_constant_folds_into_the_loop_body():
    gradient = symdiff.grad(cases.rosenbrock_loop)
    x = np.array([0.5, 1.0, 1.5])
    np.testing.assert_allclose(gradient(x), [-151.0, -50.0, 100.0], rtol=1e-12)
    assert "200.0 * " in gradient.source and "1.0 * " not in gradient.source, gradient.source
