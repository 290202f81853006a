"""The surface corpora (tests/cases/autograd_surface.py, realistic_programs.py), case by case.

Every case symdiff is expected to differentiate must give a gradient with the type
and shape of its arguments that agrees with central differences, and a jvp whose
value is the function's and whose tangent agrees with central differences along a
random direction and with the gradient by the dot-product identity. Every case in
`EXPECTED_REFUSED` must be refused with a SymdiffError located in a source file
(`file:line:col: ...`), and so must the jvp of a case in `FORWARD_REFUSED`; when
one starts working, its test fails and says to move it out. `KNOWN_WRONG` holds
the cases main gets wrong today, as strict xfails naming the issue: fixed, they
fail here until their entry goes.

The SciPy cases are skipped where SciPy is not installed. Everything is small (a
few entries per argument), so the file stays quick.

benchmarks/coverage.py prints the same verdicts as a table, with the totals.
"""

import re
from pathlib import Path

import numpy as np
import pytest

import symdiff

from .cases import autograd_surface, realistic_programs
from .support import surface

CASES = autograd_surface.CASES + realistic_programs.CASES
BY_NAME = {case.name: case for case in CASES}
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): \S")
IDENTITY_RTOL = 1e-9

# What main refuses today, case -> the refusal (its message without the location).
EXPECTED_REFUSED = {
    # autograd_surface
    "scalar_reciprocal": "np.reciprocal is not a function symdiff knows",
    "scalar_rad2deg": "np.rad2deg is not a function symdiff knows",
    "scalar_deg2rad": "np.deg2rad is not a function symdiff knows",
    "scalar_radians": "np.radians is not a function symdiff knows",
    "scalar_degrees": "np.degrees is not a function symdiff knows",
    "scalar_sinc": "np.sinc is not a function symdiff knows",
    "ufunc_reciprocal": "np.reciprocal is not a function symdiff knows",
    "ufunc_deg2rad": "np.deg2rad is not a function symdiff knows",
    "ufunc_radians": "np.radians is not a function symdiff knows",
    "ufunc_rad2deg": "np.rad2deg is not a function symdiff knows",
    "ufunc_degrees": "np.degrees is not a function symdiff knows",
    "ufunc_sinc": "np.sinc is not a function symdiff knows",
    "ufunc_rint": "np.rint is not a function symdiff knows",
    "ufunc_fix": "np.fix is not a function symdiff knows",
    "ufunc_nan_to_num": "np.nan_to_num is not a function symdiff knows",
    "fmax_arrays": "np.fmax is not a function symdiff knows",
    "fmin_arrays": "np.fmin is not a function symdiff knows",
    "logaddexp2_arrays": "np.logaddexp2 is not a function symdiff knows",
    "op_add": "operator is a module operator, which symdiff cannot differentiate through",
    "op_sub": "operator is a module operator, which symdiff cannot differentiate through",
    "op_mul": "operator is a module operator, which symdiff cannot differentiate through",
    "op_truediv": "operator is a module operator, which symdiff cannot differentiate through",
    "op_mod": "operator is a module operator, which symdiff cannot differentiate through",
    "op_pow": "operator is a module operator, which symdiff cannot differentiate through",
    "op_neg": "operator is a module operator, which symdiff cannot differentiate through",
    "sum_builtin_of_list": "sum is a builtin_function_or_method sum, which symdiff cannot differentiate through",
    "mean_of_list": "a list cannot be differentiated",
    "mean_of_tuple": "a tuple cannot be differentiated",
    "max_of_equal_values_rows": "a list cannot be differentiated",
    "min_three_way_tie": "a list cannot be differentiated",
    "maximum_equal_values_broadcast": "a list cannot be differentiated",
    "var_ddof1": "np.var has no parameter ddof symdiff supports",
    "var_ddof2_axis1_keepdims": "np.var has no parameter ddof symdiff supports",
    "var_of_list": "a list cannot be differentiated",
    "std_ddof1_keepdims": "np.std has no parameter ddof symdiff supports",
    "std_ddof2_axis1": "np.std has no parameter ddof symdiff supports",
    "std_of_list": "a list cannot be differentiated",
    "dot_matrix_number": "dot: a matrix product needs arrays, not scalars (shapes (2, 2) and ())",
    "dot_number_vector": "dot: a matrix product needs arrays, not scalars (shapes () and (3,))",
    "dot_stack_matrix": "dot of arrays with more than 2 dimensions",
    "inner_number": "matmul: a matrix product needs arrays, not scalars (shapes () and (3,))",
    "matmul_stacks": "matmul of arrays with more than 2 dimensions",
    "matmul_operator_stacks": "matmul of arrays with more than 2 dimensions",
    "tensordot_axes_lists": "np.tensordot is not a function symdiff knows",
    "tensordot_axes_two": "np.tensordot is not a function symdiff knows",
    "tensordot_axes_one": "np.tensordot is not a function symdiff knows",
    "tensordot_axes_pairs": "np.tensordot is not a function symdiff knows",
    "tensordot_negative_axis": "np.tensordot is not a function symdiff knows",
    "tensordot_outer_with_number": "np.tensordot is not a function symdiff knows",
    "tensordot_axes_by_position": "np.tensordot is not a function symdiff knows",
    "kron_matrices": "np.kron is not a function symdiff knows",
    "cross_vectors": "np.cross is not a function symdiff knows",
    "cross_rows": "np.cross is not a function symdiff knows",
    "einsum_transpose": "the constant 'ij->ji' is not a real number",
    "einsum_batched_product": "einsum: only two operands with an explicit output",
    "einsum_ellipsis": "einsum: only two operands with an explicit output",
    "einsum_elementwise_ellipsis": "einsum: only two operands with an explicit output",
    "einsum_trailing_ellipsis": "einsum: only two operands with an explicit output",
    "einsum_three_operands": "np.einsum takes 2 array argument(s) and the parameters subscripts",
    "einsum_implicit_output": "einsum: only two operands with an explicit output",
    "einsum_sublists": "np.einsum takes 2 array argument(s) and the parameters subscripts",
    "reshape_method_tuple": "a shape written as an expression (3 * 2, (T, H)) is not taken as a constant",
    "reshape_method_numbers": "a shape written as an expression (3 * 2, (T, H)) is not taken as a constant",
    "flatten_method": "the method .flatten() is not supported",
    "swapaxes_first_last": "np.swapaxes is not a function symdiff knows",
    "moveaxis_to_end": "np.moveaxis is not a function symdiff knows",
    "rollaxis_to_front": "np.rollaxis is not a function symdiff knows",
    "squeeze_call": "np.squeeze is not a function symdiff knows",
    "squeeze_method": "the method .squeeze() is not supported",
    "flipud_matrix": "np.flipud is not a function symdiff knows",
    "fliplr_matrix": "np.fliplr is not a function symdiff knows",
    "rot90_matrix": "np.rot90 is not a function symdiff knows",
    "roll_axis1": "np.roll is not a function symdiff knows",
    "roll_flattened": "np.roll is not a function symdiff knows",
    "atleast_1d_number": "np.atleast_1d is not a function symdiff knows",
    "atleast_2d_vector": "np.atleast_2d is not a function symdiff knows",
    "atleast_3d_matrix": "np.atleast_3d is not a function symdiff knows",
    "astype_float": "the method .astype() is not supported",
    "repeat_axis1": "np.repeat is not a function symdiff knows",
    "repeat_axis0": "np.repeat is not a function symdiff knows",
    "repeat_once": "np.repeat is not a function symdiff knows",
    "repeat_flattened": "np.repeat is not a function symdiff knows",
    "tile_reps_tuple": "np.tile is not a function symdiff knows",
    "tile_reps_number": "np.tile is not a function symdiff knows",
    "tile_more_dimensions": "np.tile is not a function symdiff knows",
    "pad_constant": "np.pad is not a function symdiff knows",
    "pad_widths": "np.pad is not a function symdiff knows",
    "diff_vector": "np.diff is not a function symdiff knows",
    "diff_twice_axis0": "np.diff is not a function symdiff knows",
    "diff_axis1": "np.diff is not a function symdiff knows",
    "gradient_vector": "np.gradient is not a function symdiff knows",
    "gradient_axis0": "np.gradient is not a function symdiff knows",
    "split_halves": "np.split is not a function symdiff knows",
    "split_first": "np.split is not a function symdiff knows",
    "split_at_indices_axis1": "np.split is not a function symdiff knows",
    "array_split_uneven": "np.array_split is not a function symdiff knows",
    "vsplit_rows": "np.vsplit is not a function symdiff knows",
    "hsplit_columns": "np.hsplit is not a function symdiff knows",
    "dsplit_depth": "np.dsplit is not a function symdiff knows",
    "append_number": "np.append is not a function symdiff knows",
    "append_rows": "np.append is not a function symdiff knows",
    "column_stack_vectors": "np.column_stack is not a function symdiff knows",
    "dstack_matrices": "np.dstack is not a function symdiff knows",
    "r_double": "np.r_ is not a constant symdiff knows",
    "r_with_data": "np.r_ is not a constant symdiff knows",
    "c_columns": "np.c_ is not a constant symdiff knows",
    "trace_offset_above": "np.trace has no parameter offset symdiff supports",
    "trace_offset_below": "np.trace has no parameter offset symdiff supports",
    "trace_of_stack": "trace: np.trace of an array of shape (2, 2, 2) is supported only for square matrices",
    "diag_above": "np.diag has no parameter k symdiff supports",
    "diag_below": "np.diag takes 1 argument(s) here, got 2",
    "diag_of_vector_above": "np.diag has no parameter k symdiff supports",
    "diagonal_last_axes": "np.diagonal is not a function symdiff knows",
    "diagonal_offset": "np.diagonal is not a function symdiff knows",
    "triu_above": "np.triu is not a function symdiff knows",
    "triu_default": "np.triu is not a function symdiff knows",
    "tril_below": "np.tril is not a function symdiff knows",
    "tril_of_stack": "np.tril is not a function symdiff knows",
    "clip_keywords": "np.clip has no parameter a_min symdiff supports",
    "select_with_default": "np.select is not a function symdiff knows",
    "sort_vector": "np.sort is not a function symdiff knows",
    "sort_one_entry": "np.sort is not a function symdiff knows",
    "sort_rows": "np.sort is not a function symdiff knows",
    "partition_kth": "np.partition is not a function symdiff knows",
    "linspace_ends": "np.linspace is not a function symdiff knows",
    "linspace_one_point": "np.linspace is not a function symdiff knows",
    "index_list": "a list cannot be differentiated",
    "index_mixed": "a list cannot be differentiated",
    "index_repeated_list": "a list cannot be differentiated",
    "array_of_rows": "a list cannot be differentiated",
    "array_of_a_number": "np.array is not a function symdiff knows",
    "array_of_array_rows": "a list cannot be differentiated",
    "inv_matrix": "np.linalg.inv is not a function symdiff knows",
    "inv_stack": "np.linalg.inv is not a function symdiff knows",
    "pinv_tall": "np.linalg.pinv is not a function symdiff knows",
    "solve_matrix_right_side": "np.linalg.solve is not a function symdiff knows",
    "solve_vector_right_side": "np.linalg.solve is not a function symdiff knows",
    "solve_for_right_side": "np.linalg.solve is not a function symdiff knows",
    "solve_stack": "np.linalg.solve is not a function symdiff knows",
    "det_matrix": "np.linalg.det is not a function symdiff knows",
    "det_stack": "np.linalg.det is not a function symdiff knows",
    "slogdet_unpacked": "np.linalg.slogdet is not a function symdiff knows",
    "slogdet_negative_determinant": "np.linalg.slogdet is not a function symdiff knows",
    "slogdet_stack": "np.linalg.slogdet is not a function symdiff knows",
    "norm_frobenius_named": "np.linalg.norm has no parameter ord symdiff supports",
    "norm_frobenius_axes": "np.linalg.norm has no parameter axis symdiff supports",
    "norm_ord3": "np.linalg.norm has no parameter ord symdiff supports",
    "norm_ord4": "np.linalg.norm takes 1 argument(s) here, got 2",
    "norm_axis0": "np.linalg.norm has no parameter axis symdiff supports",
    "norm_axis_last": "np.linalg.norm has no parameter axis symdiff supports",
    "norm_nuclear": "np.linalg.norm has no parameter ord symdiff supports",
    "norm_nuclear_axes": "np.linalg.norm has no parameter ord symdiff supports",
    "eigh_lower": "np.linalg.eigh is not a function symdiff knows",
    "eigh_upper": "np.linalg.eigh is not a function symdiff knows",
    "eigh_values_only": "np.linalg.eigh is not a function symdiff knows",
    "eigh_stack": "np.linalg.eigh is not a function symdiff knows",
    "cholesky_matrix": "np.linalg.cholesky is not a function symdiff knows",
    "cholesky_stack": "np.linalg.cholesky is not a function symdiff knows",
    "cholesky_reparameterization": "np.linalg.cholesky is not a function symdiff knows",
    "svd_wide": "np.linalg.svd is not a function symdiff knows",
    "svd_square": "np.linalg.svd is not a function symdiff knows",
    "svd_tall": "np.linalg.svd is not a function symdiff knows",
    "svd_stack": "np.linalg.svd is not a function symdiff knows",
    "svd_values_only": "np.linalg.svd is not a function symdiff knows",
    "beta_both": "scipy is a module scipy, which symdiff cannot differentiate through",
    "betainc_in_x": "scipy is a module scipy, which symdiff cannot differentiate through",
    "betaln_both": "scipy is a module scipy, which symdiff cannot differentiate through",
    "polygamma_in_x": "scipy is a module scipy, which symdiff cannot differentiate through",
    "psi_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "digamma_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "gamma_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "gammaln_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "gammaln_number": "scipy is a module scipy, which symdiff cannot differentiate through",
    "gammainc_in_x": "scipy is a module scipy, which symdiff cannot differentiate through",
    "gammaincc_in_x": "scipy is a module scipy, which symdiff cannot differentiate through",
    "gammasgn_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "rgamma_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "multigammaln_in_a": "scipy is a module scipy, which symdiff cannot differentiate through",
    "j0_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "y0_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "j1_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "y1_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "jn_in_x": "scipy is a module scipy, which symdiff cannot differentiate through",
    "yn_in_x": "scipy is a module scipy, which symdiff cannot differentiate through",
    "i0_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "i1_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "iv_in_x": "scipy is a module scipy, which symdiff cannot differentiate through",
    "ive_in_x": "scipy is a module scipy, which symdiff cannot differentiate through",
    "erf_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "erfc_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "erfinv_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "erfcinv_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "logit_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "expit_values": "scipy is a module scipy, which symdiff cannot differentiate through",
    "logsumexp_all": "scipy is a module scipy, which symdiff cannot differentiate through",
    "logsumexp_axis0": "scipy is a module scipy, which symdiff cannot differentiate through",
    "logsumexp_axis1_keepdims": "scipy is a module scipy, which symdiff cannot differentiate through",
    "logsumexp_weights": "scipy is a module scipy, which symdiff cannot differentiate through",
    "softmax_rows": "scipy is a module scipy, which symdiff cannot differentiate through",
    "log_softmax_vector": "scipy is a module scipy, which symdiff cannot differentiate through",
    "xlogy_both": "scipy is a module scipy, which symdiff cannot differentiate through",
    "cumprod_vector": "np.cumprod is not a function symdiff knows",
    "cumprod_axis1": "np.cumprod is not a function symdiff knows",
    "take_indices": "np.take is not a function symdiff knows",
    "take_along_axis_rows": "np.take_along_axis is not a function symdiff knows",
    "flip_axis0": "np.flip is not a function symdiff knows",
    "heaviside_step": "np.heaviside is not a function symdiff knows",
    "new_axis_index": "np.newaxis is not a constant symdiff knows",
    "float32_constant": "np.float32 is not a function symdiff knows",
    # realistic_programs
    "rnn_final_state": "a shape written as an expression (3 * 2, (T, H)) is not taken as a constant",
    "kalman_update": "np.linalg.solve is not a function symdiff knows",
    "gp_negative_log_marginal_likelihood": "np.linalg.cholesky is not a function symdiff knows",
    "mlp_loss": "the constant 'W1' is not a real number",
    "horner": "a list of 5 element(s) is indexed with a number symdiff cannot check here",
    "taylor_exp": "math.factorial is not a function symdiff knows",
    "fourier_features": "a list comprehension cannot be differentiated",
    "scipy_rosen": "*arrays / **arrays parameters cannot be inlined",
    "least_squares_residual": "np.linalg.lstsq is not a function symdiff knows",
    "conv1d_valid": "np.array is not a function symdiff knows",
    "euler_trajectory": "assignment to subscript changes a value in place",
    "accumulate_columns": "a shape written as an expression (3 * 2, (T, H)) is not taken as a constant",
    "polynomial_by_generator":
        "sum is a builtin_function_or_method sum, which symdiff cannot differentiate through",
    "product_and_sum": "math.prod is not a function symdiff knows",
    "log_partition": "np.squeeze is not a function symdiff knows",
    "group_lasso": "np.linalg.norm has no parameter ord symdiff supports",
    "bilinear_einsum": "np.einsum takes 2 array argument(s) and the parameters subscripts",
    "logistic_with_expit": "expit is a ufunc expit, which symdiff cannot differentiate through",
    "mixture_with_logsumexp": "the default of axis is not a number",
    "linear_tuple_params": "unpacking a value that is not a literal tuple is not supported",
    "scatter_add": "augmented assignment to an element or attribute changes a value in place",
    "reversed_pairs": "sum is a builtin_function_or_method sum, which symdiff cannot differentiate through",
}

# Cases whose gradient symdiff gives but whose jvp it refuses, case -> the refusal.
FORWARD_REFUSED = {}

ISSUE = "issue 16"
KNOWN_WRONG = {  # case -> (modes it is wrong or crashes in, why)
    "scalar_power_base_at_zero": (("reverse", "forward"), f"{ISSUE}: x ** y at x = 0, y = 0 raises "
                                  "ZeroDivisionError in the generated y * x ** (y - 1); the limit is 0"),
    "std_of_a_number": (("reverse", "forward"), f"{ISSUE}: np.std of one value gives NaN (0.5 / std "
                        "with std = 0); the function is constant, the gradient 0"),
    "std_one_row_axis0": (("reverse", "forward"), f"{ISSUE}: np.std over groups of one gives NaN; "
                          "the gradient is 0"),
    "transpose_axes_list": (("reverse", "forward"), f"{ISSUE}: np.transpose(x, [1, 2, 0]) (axes as a "
                            "list) crashes with TypeError: unhashable type: 'list'"),
    "asarray_of_list": (("reverse",), f"{ISSUE}: np.asarray([x, y]) of floats gives a 0-d array as "
                        "x's gradient, not a float"),
}


def _marked(cases, mode: str) -> list:
    """pytest params of `cases`, KNOWN_WRONG ones in `mode` as strict xfails."""
    params = []
    for case in cases:
        modes, why = KNOWN_WRONG.get(case.name, ((), ""))
        marks = [pytest.mark.xfail(strict=True, reason=why)] if mode in modes else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


DIFFERENTIATED = [case for case in CASES if case.name not in EXPECTED_REFUSED]
FORWARD = [case for case in DIFFERENTIATED if case.name not in FORWARD_REFUSED]
REFUSED = [(case, "reverse") for case in CASES if case.name in EXPECTED_REFUSED] \
    + [(case, "forward") for case in CASES if case.name in FORWARD_REFUSED]


def arguments(case) -> list:
    reason = surface.missing(case)
    if reason:
        pytest.skip(reason)
    return case.arguments()


def differentiated(derive):
    """`derive()`, or a failure that says where a refusal belongs if symdiff refuses."""
    try:
        return derive()
    except symdiff.SymdiffError as error:
        pytest.fail(f"refused: {surface.first_line(error)}\n(a deliberate refusal goes in EXPECTED_REFUSED)")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_function_runs_at_its_point(case):
    # The corpus itself: each function returns one finite number where it is called.
    with np.errstate(all="raise"):
        value = case.fun(*arguments(case))
    assert isinstance(value, (float, np.floating)) and np.isfinite(value), (case.name, value)


@pytest.mark.parametrize("case", _marked(DIFFERENTIATED, "reverse"))
def test_gradient_matches_central_differences(case):
    args = arguments(case)
    with np.errstate(all="ignore"):
        problem = surface.reverse_problem(case, args, differentiated(lambda: surface.gradients(case, args)))
    assert problem is None, f"{case.name} ({case.covers}): {problem}"


@pytest.mark.parametrize("case", _marked(FORWARD, "forward"))
def test_forward_mode_matches_central_differences_and_reverse_mode(case):
    args = arguments(case)
    directions = surface.directions_for(case, args)
    with np.errstate(all="ignore"):
        result = differentiated(lambda: surface.tangent(case, args, directions))
        problem = surface.forward_problem(case, args, directions, result)
        assert problem is None, f"{case.name} ({case.covers}): {problem}"
        expected = sum(surface.inner(g, d) for g, d in zip(surface.gradients(case, args), directions, strict=True))
    assert abs(result[1] - expected) <= IDENTITY_RTOL * max(1.0, abs(expected)), (case.name, result[1], expected)


@pytest.mark.parametrize("case,mode", REFUSED, ids=[f"{case.name}-{mode}" for case, mode in REFUSED])
def test_refused_cases_are_refused_with_a_location(case, mode):
    args = arguments(case)
    try:
        if mode == "reverse":
            surface.gradients(case, args)
        else:
            surface.tangent(case, args, surface.directions_for(case, args))
    except symdiff.SymdiffError as error:
        message = str(error)
    else:
        table = "EXPECTED_REFUSED" if mode == "reverse" else "FORWARD_REFUSED"
        pytest.fail(f"{case.name} is differentiated now: move it out of {table} "
                    "(it is then checked against central differences)")
    located = LOCATED.match(message)
    assert located and Path(located["file"]).is_file(), f"{case.name}: not located: {message}"


def test_the_tables_name_cases_of_the_corpora():
    assert len(BY_NAME) == len(CASES), "two cases share a name"
    assert set(EXPECTED_REFUSED) <= set(BY_NAME), set(EXPECTED_REFUSED) - set(BY_NAME)
    assert set(FORWARD_REFUSED) <= set(BY_NAME) - set(EXPECTED_REFUSED), set(FORWARD_REFUSED) - set(BY_NAME)
    assert set(KNOWN_WRONG) <= set(BY_NAME) - set(EXPECTED_REFUSED), set(KNOWN_WRONG) - set(BY_NAME)
    for case in CASES:
        assert case.wrt and len(case.args) == case.fun.__code__.co_argcount, case.name


def test_every_function_autograd_differentiates_has_a_case_or_a_reason():
    covered = {case.covers for case in autograd_surface.CASES}
    assert autograd_surface.AUTOGRAD - covered <= set(autograd_surface.EXCLUDED), \
        sorted(autograd_surface.AUTOGRAD - covered - set(autograd_surface.EXCLUDED))
    assert not covered & set(autograd_surface.EXCLUDED), covered & set(autograd_surface.EXCLUDED)
