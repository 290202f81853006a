"""NumPy's unary ufuncs on small arrays (autograd's unary ufunc checks), and the ones with no gradient
(floor, ceil, round, sign, ...), whose gradient is 0.

Part of autograd_surface.py's corpus (see its docstring)."""

import numpy as np

from .table import case, fixed, normal, within


def ufunc_sin(x):
    return np.sum(np.sin(x) * x)


def ufunc_cos(x):
    return np.sum(np.cos(x) * x)


def ufunc_tan(x):
    return np.sum(np.tan(x) * x)


def ufunc_abs(x):
    return np.sum(np.sin(np.abs(x)))


def ufunc_absolute(x):
    return np.sum(np.sin(np.absolute(x)))


def ufunc_fabs(x):
    return np.sum(np.sin(np.fabs(x)))


def ufunc_arcsin(x):
    return np.sum(np.sin(np.arcsin(x)) * x)


def ufunc_arccos(x):
    return np.sum(np.sin(np.arccos(x)))


def ufunc_arctan(x):
    return np.sum(np.sin(np.arctan(x)))


def ufunc_arcsinh(x):
    return np.sum(np.sin(np.arcsinh(x)))


def ufunc_arccosh(x):
    return np.sum(np.sin(np.arccosh(x)))


def ufunc_arctanh(x):
    return np.sum(np.sin(np.arctanh(x)))


def ufunc_sinh(x):
    return np.sum(np.sin(np.sinh(x)))


def ufunc_cosh(x):
    return np.sum(np.sin(np.cosh(x)))


def ufunc_tanh(x):
    return np.sum(np.sin(np.tanh(x)) * x)


def ufunc_exp(x):
    return np.sum(np.sin(np.exp(x)))


def ufunc_exp2(x):
    return np.sum(np.sin(np.exp2(x)))


def ufunc_expm1(x):
    return np.sum(np.sin(np.expm1(x)))


def ufunc_log(x):
    return np.sum(np.sin(np.log(x)))


def ufunc_log2(x):
    return np.sum(np.sin(np.log2(x)))


def ufunc_log10(x):
    return np.sum(np.sin(np.log10(x)))


def ufunc_log1p(x):
    return np.sum(np.sin(np.log1p(x)))


def ufunc_sqrt(x):
    return np.sum(np.sin(np.sqrt(x)))


def ufunc_square(x):
    return np.sum(np.sin(np.square(x)))


def ufunc_reciprocal(x):
    return np.sum(np.sin(np.reciprocal(x)))


def ufunc_negative(x):
    return np.sum(np.sin(np.negative(x)) * x)


def ufunc_deg2rad(x):
    return np.sum(np.sin(np.deg2rad(x)))


def ufunc_radians(x):
    return np.sum(np.sin(np.radians(x)))


def ufunc_rad2deg(x):
    return np.sum(np.sin(np.rad2deg(x) / 50.0))


def ufunc_degrees(x):
    return np.sum(np.sin(np.degrees(x) / 50.0))


def ufunc_sinc(x):
    return np.sum(np.sin(np.sinc(x)))


def ufunc_sign(x):
    return np.sum(np.sign(x) * x)


def ufunc_floor(x):
    return np.sum(np.floor(x) + x)


def ufunc_ceil(x):
    return np.sum(np.ceil(x) + x)


def ufunc_round(x):
    return np.sum(np.round(x) * x)


def ufunc_rint(x):
    return np.sum(np.rint(x) * x)


def ufunc_around(x):
    return np.sum(np.around(x) * x)


def ufunc_fix(x):
    return np.sum(np.fix(x) * x)


def ufunc_trunc(x):
    return np.sum(np.trunc(x) * x)


def ufunc_nan_to_num(x, y):
    return np.sum(np.sin(np.nan_to_num(x + y)))


CASES = [
    case(ufunc_sin, "np.sin", normal(2, 2)),
    case(ufunc_cos, "np.cos", normal(2, 2)),
    case(ufunc_tan, "np.tan", within(-1.1, 1.1, 2, 2)),
    case(ufunc_abs, "np.abs", within(0.1, 4.0, 4)),
    case(ufunc_absolute, "np.absolute", within(-4.0, -0.1, 4)),
    case(ufunc_fabs, "np.fabs", normal(4)),
    case(ufunc_arcsin, "np.arcsin", within(-0.9, 0.9, 4)),
    case(ufunc_arccos, "np.arccos", within(-0.9, 0.9, 4)),
    case(ufunc_arctan, "np.arctan", normal(4)),
    case(ufunc_arcsinh, "np.arcsinh", within(-0.9, 0.9, 4)),
    case(ufunc_arccosh, "np.arccosh", within(1.1, 4.0, 4)),
    case(ufunc_arctanh, "np.arctanh", within(-0.9, 0.9, 4)),
    case(ufunc_sinh, "np.sinh", normal(4)),
    case(ufunc_cosh, "np.cosh", normal(4)),
    case(ufunc_tanh, "np.tanh", normal(2, 2)),
    case(ufunc_exp, "np.exp", normal(4)),
    case(ufunc_exp2, "np.exp2", normal(4)),
    case(ufunc_expm1, "np.expm1", normal(4)),
    case(ufunc_log, "np.log", within(0.2, 2.0, 4)),
    case(ufunc_log2, "np.log2", within(0.2, 2.0, 4)),
    case(ufunc_log10, "np.log10", within(0.2, 2.0, 4)),
    case(ufunc_log1p, "np.log1p", within(0.2, 2.0, 4)),
    case(ufunc_sqrt, "np.sqrt", within(1.0, 3.0, 4)),
    case(ufunc_square, "np.square", normal(4)),
    case(ufunc_reciprocal, "np.reciprocal", within(0.5, 2.0, 4)),
    case(ufunc_negative, "np.negative", normal(4)),
    case(ufunc_deg2rad, "np.deg2rad", within(-90.0, 90.0, 4)),
    case(ufunc_radians, "np.radians", within(-90.0, 90.0, 4)),
    case(ufunc_rad2deg, "np.rad2deg", normal(4)),
    case(ufunc_degrees, "np.degrees", normal(4)),
    case(ufunc_sinc, "np.sinc", within(0.2, 3.0, 4)),
    case(ufunc_sign, "np.sign", normal(4)),
    case(ufunc_floor, "np.floor", within(-1.4, 1.4, 4)),
    case(ufunc_ceil, "np.ceil", within(-1.4, 1.4, 4)),
    case(ufunc_round, "np.round", within(-1.4, 1.4, 4)),
    case(ufunc_rint, "np.rint", within(-1.4, 1.4, 4)),
    case(ufunc_around, "np.around", within(-1.4, 1.4, 4)),
    case(ufunc_fix, "np.fix", within(-1.4, 1.4, 4)),
    case(ufunc_trunc, "np.trunc", within(-1.4, 1.4, 4)),
    case(ufunc_nan_to_num, "np.nan_to_num", normal(4), fixed([0.0, np.nan, np.inf, -np.inf])),
]
