"""Numbers in, a number out: the scalar ops of autograd's test_scalar_ops.py, as NumPy calls on floats.

Part of autograd_surface.py's corpus (see its docstring)."""

import numpy as np

from .table import at, case, fixed, normal, within


def scalar_abs(x):
    return 3.0 * np.abs(x)


def scalar_absolute(x):
    return 3.0 * np.absolute(x)


def scalar_sin(x):
    return 3.0 * np.sin(x)


def scalar_cos(x):
    return 3.0 * np.cos(x)


def scalar_tan(x):
    return 3.0 * np.tan(x)


def scalar_sign(x):
    return 3.0 * np.sign(x) + x


def scalar_exp(x):
    return 3.0 * np.exp(x)


def scalar_exp2(x):
    return 3.0 * np.exp2(x)


def scalar_expm1(x):
    return 3.0 * np.expm1(x)


def scalar_log(x):
    return 3.0 * np.log(x)


def scalar_log2(x):
    return 3.0 * np.log2(x)


def scalar_log10(x):
    return 3.0 * np.log10(x)


def scalar_log1p(x):
    return 3.0 * np.log1p(x)


def scalar_neg(x):
    return 3.0 * -x


def scalar_sinh(x):
    return 3.0 * np.sinh(x)


def scalar_cosh(x):
    return 3.0 * np.cosh(x)


def scalar_tanh(x):
    return 3.0 * np.tanh(x)


def scalar_arcsin(x):
    return 3.0 * np.arcsin(x)


def scalar_arccos(x):
    return 3.0 * np.arccos(x)


def scalar_arctan(x):
    return 3.0 * np.arctan(x)


def scalar_arcsinh(x):
    return 3.0 * np.arcsinh(x)


def scalar_arccosh(x):
    return 3.0 * np.arccosh(x)


def scalar_arctanh(x):
    return 3.0 * np.arctanh(x)


def scalar_sqrt(x):
    return 3.0 * np.sqrt(x)


def scalar_power_base(x, y):
    return np.power(x, y)


def scalar_power_base_at_zero(x, y):
    # d/dx x**y at x = 0, y = 0: x**y is 1 near there, so 0
    return np.power(x, y)


def scalar_power_exponent(x, y):
    return np.power(x, y)


def scalar_power_of_zero(y):
    return np.power(0.0, y)


def scalar_mod(x, y):
    return np.mod(x, y)


def scalar_divide(x, y):
    return np.divide(x, y)


def scalar_multiply(x, y):
    return np.multiply(x, y)


def scalar_true_divide(x, y):
    return np.true_divide(x, y)


def scalar_reciprocal(x):
    return np.reciprocal(x)


def scalar_negative(x):
    return np.negative(x)


def scalar_rad2deg(x):
    return 3.0 * np.rad2deg(x)


def scalar_deg2rad(x):
    return 3.0 * np.deg2rad(x)


def scalar_radians(x):
    return 3.0 * np.radians(x)


def scalar_degrees(x):
    return 3.0 * np.degrees(x)


def scalar_sinc(x):
    return 3.0 * np.sinc(x)


CASES = [
    case(scalar_abs, "np.abs", at(1.1)),
    case(scalar_absolute, "np.absolute", at(-1.1)),
    case(scalar_sin, "np.sin", normal()),
    case(scalar_cos, "np.cos", normal()),
    case(scalar_tan, "np.tan", within(-1.2, 1.2)),
    case(scalar_sign, "np.sign", at(-1.1)),
    case(scalar_exp, "np.exp", normal()),
    case(scalar_exp2, "np.exp2", normal()),
    case(scalar_expm1, "np.expm1", normal()),
    case(scalar_log, "np.log", within(0.2, 2.0)),
    case(scalar_log2, "np.log2", within(0.2, 2.0)),
    case(scalar_log10, "np.log10", within(0.2, 2.0)),
    case(scalar_log1p, "np.log1p", within(0.2, 2.0)),
    case(scalar_neg, "-x", normal()),
    case(scalar_sinh, "np.sinh", normal()),
    case(scalar_cosh, "np.cosh", normal()),
    case(scalar_tanh, "np.tanh", normal()),
    case(scalar_arcsin, "np.arcsin", at(0.1)),
    case(scalar_arccos, "np.arccos", at(0.1)),
    case(scalar_arctan, "np.arctan", at(0.2)),
    case(scalar_arcsinh, "np.arcsinh", normal()),
    case(scalar_arccosh, "np.arccosh", within(1.2, 3.0)),
    case(scalar_arctanh, "np.arctanh", at(0.2)),
    case(scalar_sqrt, "np.sqrt", within(0.5, 10.0)),
    case(scalar_power_base, "np.power", within(1.0, 2.0), within(1.0, 3.0), wrt=(0,)),
    case(scalar_power_base_at_zero, "np.power", at(0.0), fixed(0.0)),
    case(scalar_power_exponent, "np.power", fixed(1.7), within(0.0, 1.0)),
    case(scalar_power_of_zero, "np.power", within(0.1, 1.0)),
    case(scalar_mod, "np.mod", at(0.7), at(0.3)),
    case(scalar_divide, "np.divide", within(0.1, 1.0), within(0.1, 1.0)),
    case(scalar_multiply, "np.multiply", normal(), normal()),
    case(scalar_true_divide, "np.true_divide", within(0.1, 1.0), within(0.1, 1.0)),
    case(scalar_reciprocal, "np.reciprocal", within(0.2, 1.0)),
    case(scalar_negative, "np.negative", normal()),
    case(scalar_rad2deg, "np.rad2deg", within(0.0, 10.0)),
    case(scalar_deg2rad, "np.deg2rad", within(0.0, 10.0)),
    case(scalar_radians, "np.radians", within(0.0, 10.0)),
    case(scalar_degrees, "np.degrees", within(0.0, 10.0)),
    case(scalar_sinc, "np.sinc", within(0.2, 10.0)),
]
