"""np.linalg beyond the surface corpus (surface/linalg.py): every `ord` of np.linalg.norm
with `axis=` and `keepdims=`, the ways of reading a call that returns several values,
the triangle np.linalg.eigh and cholesky read, and the rows the corpus does not reach
(eigvalsh, qr, matrix_power, lstsq with a matrix right side, stacks). surface/table.py's
format; tests/test_linalg.py checks both modes against central differences.

Inputs that are not symmetric are given to eigh and cholesky on purpose: NumPy reads
one triangle of them, and so does the gradient.
"""

import numpy as np

from .surface.table import case, fixed_normal, normal, spd, well_conditioned


def norm_vector_inf(x):
    return np.linalg.norm(x, np.inf)


def norm_vector_minus_inf(x):
    return np.linalg.norm(x, ord=-np.inf)


def norm_vector_one(x):
    return np.linalg.norm(x, 1)


def norm_vector_five(x):
    return np.linalg.norm(x, 5)


def norm_vector_two(x):
    return np.linalg.norm(x, 2)


def norm_matrix_one(x):
    return np.linalg.norm(x, 1)


def norm_matrix_minus_one(x):
    return np.linalg.norm(x, -1)


def norm_matrix_inf(x):
    return np.linalg.norm(x, np.inf)


def norm_matrix_minus_inf(x):
    return np.linalg.norm(x, -np.inf)


def norm_matrix_two(x):
    return np.linalg.norm(x, 2)


def norm_matrix_minus_two(x):
    return np.linalg.norm(x, -2)


def norm_frobenius_kept(x):
    return np.sum(np.sin(np.linalg.norm(x, "fro", (2, 0), True)))


def norm_rows_kept(x):
    return np.sum(np.sin(np.linalg.norm(x, axis=1, keepdims=True)))


def norm_columns_inf(x):
    return np.sum(np.sin(np.linalg.norm(x, np.inf, axis=0)))


def norm_spectral_of_stack(x):
    return np.sum(np.sin(np.linalg.norm(x, 2, axis=(1, 2), keepdims=True)))


def norm_nuclear_transposed(x):
    return np.linalg.norm(x, "nuc", axis=(1, 0))


def slogdet_indexed(a):
    return np.linalg.slogdet(a)[1] + np.linalg.slogdet(a)[0]


def slogdet_sign_times(a):
    sign, logdet = np.linalg.slogdet(a)
    return sign * np.exp(logdet)


def eigh_upper_unsymmetric(a):
    w, v = np.linalg.eigh(a, UPLO="U")
    return np.sum(w * np.arange(3.0)) + np.sum(v ** 2 * np.arange(9.0).reshape(3, 3))


def eigh_indexed(a):
    return np.sum(np.linalg.eigh(a)[0] ** 2)


def eigvalsh_lower(a):
    return np.sum(np.exp(np.linalg.eigvalsh(a)))


def eigvalsh_upper_stack(a):
    return np.sum(np.sin(np.linalg.eigvalsh(a, UPLO="U")))


def cholesky_unsymmetric(a):
    return np.sum(np.linalg.cholesky(a) * np.arange(9.0).reshape(3, 3))


def svd_full_square(x):
    u, s, vt = np.linalg.svd(x)
    return np.sum(u ** 2 * np.arange(9.0).reshape(3, 3)) + np.sum(s ** 3) + np.sum(vt[0] ** 4)


def svd_vectors_of_tall(x):
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    return np.sum(u[:, 0] ** 4) + np.sum(vt ** 2 * np.arange(4.0).reshape(2, 2))


def svd_values_indexed(x):
    return np.sum(np.linalg.svd(x, full_matrices=False)[1] ** 2)


def svd_values_stack(x):
    return np.sum(np.linalg.svd(x, compute_uv=False) * np.arange(4.0).reshape(2, 2))


def qr_tall(a):
    q, r = np.linalg.qr(a)
    return np.sum(q * np.arange(12.0).reshape(4, 3)) + np.sum(np.sin(r))


def qr_stack(a):
    q, r = np.linalg.qr(a)
    return np.sum(np.sin(q)) + np.sum(r[..., 0, :] ** 2)


def matrix_cube(a):
    return np.sum(np.sin(np.linalg.matrix_power(a, 3)))


def matrix_inverse_square(a):
    return np.sum(np.sin(np.linalg.matrix_power(a, -2)))


def matrix_power_zero(a):
    return np.sum(np.linalg.matrix_power(a, 0) * a)


def pinv_wide_stack(a):
    return np.sum(np.sin(np.linalg.pinv(a)))


def lstsq_matrix_right_side(a, b):
    coef, _, _, _ = np.linalg.lstsq(a, b, rcond=None)
    return np.sum(np.sin(coef))


def lstsq_indexed(a, b):
    return np.sum(np.linalg.lstsq(a, b, rcond=None)[0] ** 2)


def solve_vector_for_stack(a, b):
    return np.sum(np.sin(np.linalg.solve(a, b)))


def inverse_then_det(a):
    return np.linalg.det(np.linalg.inv(a)) + np.trace(np.linalg.inv(a))


def vector_norm_of_matrix(x):
    return np.linalg.vector_norm(x, ord=3) + np.sum(np.linalg.vector_norm(x, axis=0, keepdims=True))


def vector_norm_of_axis_pair(x):
    return np.sum(np.sin(np.linalg.vector_norm(x, axis=(0, 2), ord=np.inf)))


def matrix_norm_of_stack(x):
    return np.sum(np.sin(np.linalg.matrix_norm(x, ord="nuc"))) + np.sum(np.linalg.matrix_norm(x, keepdims=True))


def svdvals_of_stack(x):
    return np.sum(np.linalg.svdvals(x) ** 3)


def chain_of_products(a, b, c):
    return np.sum(np.sin(np.linalg.multi_dot([a, b, c])))


CASES = [
    case(norm_vector_inf, "np.linalg.norm", normal(5)),
    case(norm_vector_minus_inf, "np.linalg.norm", normal(5)),
    case(norm_vector_one, "np.linalg.norm", normal(5)),
    case(norm_vector_five, "np.linalg.norm", normal(5)),
    case(norm_vector_two, "np.linalg.norm", normal(5)),
    case(norm_matrix_one, "np.linalg.norm", normal(3, 4)),
    case(norm_matrix_minus_one, "np.linalg.norm", normal(3, 4)),
    case(norm_matrix_inf, "np.linalg.norm", normal(3, 4)),
    case(norm_matrix_minus_inf, "np.linalg.norm", normal(3, 4)),
    case(norm_matrix_two, "np.linalg.norm", normal(3, 4)),
    case(norm_matrix_minus_two, "np.linalg.norm", normal(4, 3)),
    case(norm_frobenius_kept, "np.linalg.norm", normal(2, 3, 2)),
    case(norm_rows_kept, "np.linalg.norm", normal(3, 4)),
    case(norm_columns_inf, "np.linalg.norm", normal(3, 4)),
    case(norm_spectral_of_stack, "np.linalg.norm", normal(2, 3, 2)),
    case(norm_nuclear_transposed, "np.linalg.norm", normal(2, 3)),
    case(slogdet_indexed, "np.linalg.slogdet", well_conditioned(3)),
    case(slogdet_sign_times, "np.linalg.slogdet", well_conditioned(3)),
    case(eigh_upper_unsymmetric, "np.linalg.eigh", well_conditioned(3)),
    case(eigh_indexed, "np.linalg.eigh", spd(3, 2)),
    case(eigvalsh_lower, "np.linalg.eigvalsh", well_conditioned(3)),
    case(eigvalsh_upper_stack, "np.linalg.eigvalsh", spd(3, 2)),
    case(cholesky_unsymmetric, "np.linalg.cholesky", spd(3)),
    case(svd_full_square, "np.linalg.svd", normal(3, 3)),
    case(svd_vectors_of_tall, "np.linalg.svd", normal(3, 2)),
    case(svd_values_indexed, "np.linalg.svd", normal(2, 3)),
    case(svd_values_stack, "np.linalg.svd", normal(2, 3, 2)),
    case(qr_tall, "np.linalg.qr", normal(4, 3)),
    case(qr_stack, "np.linalg.qr", well_conditioned(3, 2)),
    case(matrix_cube, "np.linalg.matrix_power", normal(3, 3)),
    case(matrix_inverse_square, "np.linalg.matrix_power", spd(2, 2)),
    case(matrix_power_zero, "np.linalg.matrix_power", normal(3, 3)),
    case(pinv_wide_stack, "np.linalg.pinv", normal(2, 2, 3)),
    case(lstsq_matrix_right_side, "np.linalg.lstsq", normal(4, 2), normal(4, 3)),
    case(lstsq_indexed, "np.linalg.lstsq", normal(5, 3), fixed_normal(5)),
    case(solve_vector_for_stack, "np.linalg.solve", well_conditioned(3, 2), normal(3)),
    case(inverse_then_det, "np.linalg.inv, np.linalg.det", well_conditioned(3)),
    case(vector_norm_of_matrix, "np.linalg.vector_norm", normal(3, 2)),
    case(vector_norm_of_axis_pair, "np.linalg.vector_norm", normal(2, 3, 2)),
    case(matrix_norm_of_stack, "np.linalg.matrix_norm", normal(2, 3, 2)),
    case(svdvals_of_stack, "np.linalg.svdvals", normal(2, 2, 3)),
    case(chain_of_products, "np.linalg.multi_dot", normal(3), normal(3, 4), normal(4, 2)),
]
