"""Products: dot, inner, matmul, outer, tensordot (axes forms), kron, cross, einsum (subscript forms).

Part of autograd_surface.py's corpus (see its docstring)."""

import numpy as np

from .table import case, normal


def dot_matrix_vector(x, y):
    return np.sum(np.sin(np.dot(x, y)))


def dot_matrices(x, y):
    return np.sum(np.sin(np.dot(x, y)))


def dot_vector_matrix(x, y):
    return np.sum(np.sin(np.dot(x, y)))


def dot_vectors(x, y):
    return np.sin(np.dot(x, y))


def dot_matrix_number(x, y):
    return np.sum(np.sin(np.dot(x, y)))


def dot_number_vector(x, y):
    return np.sum(np.sin(np.dot(x, y)))


def dot_stack_matrix(x, y):
    return np.sum(np.sin(np.dot(x, y)))


def dot_method(x, y):
    return np.sum(np.sin(x.dot(y)))


def inner_vectors(x, y):
    return np.sin(np.inner(x, y))


def inner_matrices(x, y):
    return np.sum(np.sin(np.inner(x, y)))


def inner_number(x, y):
    return np.sum(np.sin(np.inner(x, y)))


def matmul_vectors(x, y):
    return np.sin(np.matmul(x, y))


def matmul_matrices(x, y):
    return np.sum(np.sin(np.matmul(x, y)))


def matmul_stacks(x, y):
    return np.sum(np.sin(np.matmul(x, y)))


def matmul_operator_stacks(x, y):
    return np.sum(np.sin(x @ y))


def outer_vectors(x, y):
    return np.sum(np.sin(np.outer(x, y)))


def tensordot_axes_lists(x, y):
    return np.sum(np.sin(np.tensordot(x, y, axes=([1], [0]))))


def tensordot_axes_two(x, y):
    return np.sin(np.tensordot(x, y, axes=2))


def tensordot_axes_one(x, y):
    return np.sum(np.sin(np.tensordot(x, y, axes=1)))


def tensordot_axes_pairs(x, y):
    return np.sum(np.sin(np.tensordot(x, y, axes=([0, 1], [1, 2]))))


def tensordot_negative_axis(x, y):
    return np.sum(np.sin(np.tensordot(x, y, axes=[[-1], [0]])))


def tensordot_outer_with_number(x, y):
    return np.sum(np.sin(np.tensordot(x, y, axes=0)))


def tensordot_axes_by_position(x):
    return np.sum(np.tensordot(x * np.ones((2, 2)), x * np.ones((2, 2)), 2))


def kron_matrices(x, y):
    return np.sum(np.sin(np.kron(x, y)))


def cross_vectors(x, y):
    return np.sum(np.sin(np.cross(x, y)))


def cross_rows(x, y):
    return np.sum(np.sin(np.cross(x, y, axisa=0, axisb=0)))


def einsum_transpose(x):
    return np.sum(np.sin(np.einsum("ij->ji", x)) * np.arange(6.0).reshape(3, 2))


def einsum_matrix_product(x, y):
    return np.sum(np.sin(np.einsum("ij,jk->ik", x, y)))


def einsum_batched_product(x, y):
    return np.sum(np.sin(np.einsum("...ij,...jk->...ik", x, y)))


def einsum_three_index(x, y):
    return np.sum(np.sin(np.einsum("ijk,lji->lki", x, y)))


def einsum_ellipsis(x, y):
    return np.sum(np.sin(np.einsum("...jk,...lj->...lk", x, y)))


def einsum_elementwise_ellipsis(x, y):
    return np.sum(np.sin(np.einsum("...,...->...", x, y)))


def einsum_trailing_ellipsis(x, y):
    return np.sum(np.sin(np.einsum("jk...,lj...->lk...", x, y)))


def einsum_three_operands(x, y, z):
    return np.sum(np.sin(np.einsum("ijk,lji,lli->lki", x, y, z)))


def einsum_implicit_output(x, y):
    return np.sum(np.sin(np.einsum("ij,jk", x, y)))


def einsum_sublists(x, y):
    return np.sum(np.sin(np.einsum(x, [0, 1], y, [1, 2], [0, 2])))


CASES = [
    case(dot_matrix_vector, "np.dot", normal(3, 2), normal(2)),
    case(dot_matrices, "np.dot", normal(2, 3), normal(3, 2)),
    case(dot_vector_matrix, "np.dot", normal(2), normal(2, 3)),
    case(dot_vectors, "np.dot", normal(3), normal(3)),
    case(dot_matrix_number, "np.dot", normal(2, 2), normal()),
    case(dot_number_vector, "np.dot", normal(), normal(3)),
    case(dot_stack_matrix, "np.dot", normal(2, 2, 3), normal(3, 2)),
    case(dot_method, "np.dot", normal(2, 3), normal(3)),
    case(inner_vectors, "np.inner", normal(3), normal(3)),
    case(inner_matrices, "np.inner", normal(2, 3), normal(2, 3)),
    case(inner_number, "np.inner", normal(), normal(3)),
    case(matmul_vectors, "np.matmul", normal(3), normal(3)),
    case(matmul_matrices, "np.matmul", normal(2, 3), normal(3, 2)),
    case(matmul_stacks, "np.matmul", normal(2, 2, 3), normal(2, 3, 2)),
    case(matmul_operator_stacks, "np.matmul", normal(2, 2, 2), normal(2, 2)),
    case(outer_vectors, "np.outer", normal(3), normal(2)),
    case(tensordot_axes_lists, "np.tensordot", normal(1, 3), normal(3, 2)),
    case(tensordot_axes_two, "np.tensordot", normal(2, 2), normal(2, 2)),
    case(tensordot_axes_one, "np.tensordot", normal(2, 2), normal(2, 3)),
    case(tensordot_axes_pairs, "np.tensordot", normal(2, 3), normal(1, 2, 3)),
    case(tensordot_negative_axis, "np.tensordot", normal(2, 3), normal(3, 2)),
    case(tensordot_outer_with_number, "np.tensordot", normal(4), normal()),
    case(tensordot_axes_by_position, "np.tensordot", normal()),
    case(kron_matrices, "np.kron", normal(2, 2), normal(2, 2)),
    case(cross_vectors, "np.cross", normal(3), normal(3)),
    case(cross_rows, "np.cross", normal(3, 2), normal(3, 2)),
    case(einsum_transpose, "np.einsum", normal(2, 3)),
    case(einsum_matrix_product, "np.einsum", normal(2, 3), normal(3, 2)),
    case(einsum_batched_product, "np.einsum", normal(2, 2, 3), normal(3, 2)),
    case(einsum_three_index, "np.einsum", normal(2, 3, 3), normal(3, 3, 2)),
    case(einsum_ellipsis, "np.einsum", normal(2, 2, 2), normal(2, 2, 2)),
    case(einsum_elementwise_ellipsis, "np.einsum", normal(2, 2), normal(2, 2)),
    case(einsum_trailing_ellipsis, "np.einsum", normal(2, 2, 2), normal(2, 2, 2)),
    case(einsum_three_operands, "np.einsum", normal(2, 2, 2), normal(2, 2, 2), normal(2, 2, 2)),
    case(einsum_implicit_output, "np.einsum", normal(2, 3), normal(3, 2)),
    case(einsum_sublists, "np.einsum", normal(2, 3), normal(3, 2)),
]
