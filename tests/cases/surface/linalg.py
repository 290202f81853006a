"""Part of autograd_surface.py's corpus: np.linalg.

Matrices are well-conditioned: a dominant diagonal for inv, solve and det,
symmetric positive definite ones for cholesky and eigh (each function symmetrizes
its argument itself, 0.5 * (A + A.T), so that the gradient with respect to every
entry is defined). Readouts of eigenvectors and singular vectors square them, as
their signs are arbitrary.
"""

import numpy as np

from .table import case, fixed_normal, normal, spd, well_conditioned


def inv_matrix(a):
    return np.sum(np.sin(np.linalg.inv(a)))


def inv_stack(a):
    return np.sum(np.sin(np.linalg.inv(a)))


def pinv_tall(a):
    return np.sum(np.sin(np.linalg.pinv(a)))


def solve_matrix_right_side(a, b):
    return np.sum(np.sin(np.linalg.solve(a, b)))


def solve_vector_right_side(a, b):
    return np.sum(np.sin(np.linalg.solve(a, b)))


def solve_for_right_side(a, b):
    return np.sum(np.sin(np.linalg.solve(a, b)))


def solve_stack(a, b):
    return np.sum(np.sin(np.linalg.solve(a, b)))


def det_matrix(a):
    return np.linalg.det(a)


def det_stack(a):
    return np.sum(np.sin(np.linalg.det(a)))


def slogdet_unpacked(a):
    sign, logdet = np.linalg.slogdet(a)
    return logdet


def slogdet_negative_determinant(a):
    return np.linalg.slogdet(-a)[1]


def slogdet_stack(a):
    return np.sum(np.linalg.slogdet(a)[1])


def norm_vector(x):
    return np.linalg.norm(x)


def norm_frobenius(x):
    return np.linalg.norm(x)


def norm_frobenius_named(x):
    return np.linalg.norm(x, ord="fro")


def norm_frobenius_axes(x):
    return np.sum(np.sin(np.linalg.norm(x, axis=(0, 1))))


def norm_ord3(x):
    return np.linalg.norm(x, ord=3)


def norm_ord4(x):
    return np.linalg.norm(x, 4)


def norm_axis0(x):
    return np.sum(np.sin(np.linalg.norm(x, axis=0)))


def norm_axis_last(x):
    return np.sum(np.sin(np.linalg.norm(x, axis=-1)))


def norm_nuclear(x):
    return np.linalg.norm(x, ord="nuc")


def norm_nuclear_axes(x):
    return np.sum(np.sin(np.linalg.norm(x, ord="nuc", axis=(1, 2))))


def eigh_lower(a):
    w, v = np.linalg.eigh(0.5 * (a + a.T))
    return np.sum(np.sin(w)) + np.sum(v ** 2 * np.arange(9.0).reshape(3, 3))


def eigh_upper(a):
    w, v = np.linalg.eigh(0.5 * (a + a.T), UPLO="U")
    return np.sum(np.sin(w)) + np.sum(v ** 2 * np.arange(9.0).reshape(3, 3))


def eigh_values_only(a):
    w, _ = np.linalg.eigh(0.5 * (a + a.T))
    return np.sum(np.sin(w))


def eigh_stack(a):
    w, v = np.linalg.eigh(0.5 * (a + np.swapaxes(a, -1, -2)))
    return np.sum(np.sin(w)) + np.sum(v ** 2 * np.arange(18.0).reshape(2, 3, 3))


def cholesky_matrix(a):
    return np.sum(np.sin(np.linalg.cholesky(0.5 * (a + a.T))))


def cholesky_stack(a):
    return np.sum(np.sin(np.linalg.cholesky(0.5 * (a + np.swapaxes(a, -1, -2)))))


def cholesky_reparameterization(a, eps):
    z = np.dot(np.linalg.cholesky(0.5 * (a + a.T)), eps)
    return np.linalg.norm(z)


def svd_wide(x):
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    return np.sum(u ** 2 * np.arange(4.0).reshape(2, 2)) + np.sum(np.sin(s)) \
        + np.sum(vt ** 2 * np.arange(6.0).reshape(2, 3))


def svd_square(x):
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    return np.sum(u ** 2 * np.arange(9.0).reshape(3, 3)) + np.sum(np.sin(s)) \
        + np.sum(vt ** 2 * np.arange(9.0).reshape(3, 3))


def svd_tall(x):
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    return np.sum(u ** 2 * np.arange(6.0).reshape(3, 2)) + np.sum(np.sin(s)) \
        + np.sum(vt ** 2 * np.arange(4.0).reshape(2, 2))


def svd_stack(x):
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    return np.sum(u ** 2 * np.arange(8.0).reshape(2, 2, 2)) + np.sum(np.sin(s)) \
        + np.sum(vt ** 2 * np.arange(12.0).reshape(2, 2, 3))


def svd_values_only(x):
    return np.sum(np.sin(np.linalg.svd(x, compute_uv=False)))


CASES = [
    case(inv_matrix, "np.linalg.inv", well_conditioned(3)),
    case(inv_stack, "np.linalg.inv", well_conditioned(2, 2)),
    case(pinv_tall, "np.linalg.pinv", normal(3, 2)),
    case(solve_matrix_right_side, "np.linalg.solve", well_conditioned(3), fixed_normal(3, 2)),
    case(solve_vector_right_side, "np.linalg.solve", well_conditioned(3), fixed_normal(3)),
    case(solve_for_right_side, "np.linalg.solve", well_conditioned(3), normal(3, 2), wrt=(1,)),
    case(solve_stack, "np.linalg.solve", well_conditioned(2, 2), fixed_normal(2, 2, 1)),
    case(det_matrix, "np.linalg.det", well_conditioned(3)),
    case(det_stack, "np.linalg.det", well_conditioned(2, 2)),
    case(slogdet_unpacked, "np.linalg.slogdet", well_conditioned(3)),
    case(slogdet_negative_determinant, "np.linalg.slogdet", well_conditioned(3)),
    case(slogdet_stack, "np.linalg.slogdet", spd(2, 2)),
    case(norm_vector, "np.linalg.norm", normal(4)),
    case(norm_frobenius, "np.linalg.norm", normal(3, 2)),
    case(norm_frobenius_named, "np.linalg.norm", normal(3, 2)),
    case(norm_frobenius_axes, "np.linalg.norm", normal(2, 2, 2)),
    case(norm_ord3, "np.linalg.norm", normal(4)),
    case(norm_ord4, "np.linalg.norm", normal(4)),
    case(norm_axis0, "np.linalg.norm", normal(3, 2)),
    case(norm_axis_last, "np.linalg.norm", normal(2, 3)),
    case(norm_nuclear, "np.linalg.norm", normal(3, 2)),
    case(norm_nuclear_axes, "np.linalg.norm", normal(2, 2, 2)),
    case(eigh_lower, "np.linalg.eigh", spd(3)),
    case(eigh_upper, "np.linalg.eigh", spd(3)),
    case(eigh_values_only, "np.linalg.eigh", spd(3)),
    case(eigh_stack, "np.linalg.eigh", spd(3, 2)),
    case(cholesky_matrix, "np.linalg.cholesky", spd(3)),
    case(cholesky_stack, "np.linalg.cholesky", spd(2, 2)),
    case(cholesky_reparameterization, "np.linalg.cholesky", spd(3), fixed_normal(3)),
    case(svd_wide, "np.linalg.svd", normal(2, 3)),
    case(svd_square, "np.linalg.svd", normal(3, 3)),
    case(svd_tall, "np.linalg.svd", normal(3, 2)),
    case(svd_stack, "np.linalg.svd", normal(2, 2, 3)),
    case(svd_values_only, "np.linalg.svd", normal(3, 2)),
]
