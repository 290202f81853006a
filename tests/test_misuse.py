"""Misuse gets a located SymdiffError before any generated code runs (issue 14): a bad
wrt is reported before the body is read."""

import inspect

import pytest

import symdiff
from symdiff import cli
from symdiff.errors import SymdiffError, WrtError

from . import misuse_cases as cases

FILE = cases.__file__


def def_loc(fun) -> str:
    """`file:line:col` of `def fun` in misuse_cases.py."""
    return f"{FILE}:{inspect.getsourcelines(fun)[1]}:1"


# ------------------------------------------------ wrt, checked before the body is lowered

def explain_at(fun, wrt):
    return symdiff.explain(fun, 1.0, 2.0, wrt=wrt)


WRT_USERS = {
    "grad": symdiff.grad, "value_and_grad": symdiff.value_and_grad, "jvp": symdiff.jvp,
    "vjp": symdiff.vjp, "jacobian": symdiff.jacobian, "hessian": symdiff.hessian,
    "verify": symdiff.verify, "explain": explain_at,
}


@pytest.mark.parametrize("wrt", ["zz", 2, -3, (0, 0), ("x", "x"), True, 1.5, ()])
@pytest.mark.parametrize("user", WRT_USERS)
def test_a_bad_wrt_is_reported_before_an_unsupported_construct_in_the_body(user, wrt):
    with pytest.raises(WrtError) as info:
        WRT_USERS[user](cases.printing, wrt=wrt)
    assert str(info.value).startswith(def_loc(cases.printing) + ": wrt="), str(info.value)


def test_the_body_is_still_refused_for_a_good_wrt():
    with pytest.raises(SymdiffError, match="print"):
        symdiff.grad(cases.printing, wrt="y")


@pytest.mark.parametrize("command", [[], ["explain", "--at", "x=1,y=2"]], ids=["code", "explain"])
def test_the_cli_reports_a_bad_wrt_before_the_body(command, capsys):
    argv = command[:1] + [f"{FILE}:printing", "--wrt", "zz"] + command[1:]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{def_loc(cases.printing)}: wrt='zz' names no parameter of printing"), err
