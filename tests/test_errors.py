"""Bad input gets a located SymdiffError naming the construct; the CLI prints one line, exit 2."""

import math

import pytest

import symdiff
from symdiff import cli
from symdiff.errors import (NonScalarOutputError, SourceUnavailableError, SymdiffError,
                            UnknownFunctionError, UnsupportedSyntaxError, WrtError)

from .cases import error_cases

CASES = [
    ("name_from_one_branch", UnsupportedSyntaxError, "y is assigned in only one branch"),
    ("returns_differ", UnsupportedSyntaxError, "returns 2 value(s) when this condition holds"),
    ("identity_test", UnsupportedSyntaxError, "identity and membership tests"),
    ("branch_without_return", UnsupportedSyntaxError, "without a return"),
    ("while_true_without_break", UnsupportedSyntaxError, "never ends"),
    ("loop_over_a_sequence", UnsupportedSyntaxError, "this loop runs over the result of a call"),
    ("list_in_a_while_loop", UnsupportedSyntaxError, "np.stack(ys): ys is built where its length only the values tell"),
    ("list_grows_in_one_branch", UnsupportedSyntaxError, "symdiff keeps only its sum, last element and length"),
    ("list_as_a_number", UnsupportedSyntaxError, "a list is used as a number"),
    ("list_insert", UnsupportedSyntaxError, "list.insert(...) is not supported"),
    ("comprehension", UnsupportedSyntaxError, "list comprehension"),
    ("unknown_math_function", UnknownFunctionError, "math.nextafter is not a function symdiff can "
     "differentiate; give it a derivative with symdiff.custom_derivative"),
    ("imported_function_without_rule", UnknownFunctionError, "nextafter is a"),
    ("misspelled_numpy_function", UnknownFunctionError, "np.tanhh is not a function symdiff can "
     "differentiate; did you mean np.tanh? or give it a derivative with symdiff.custom_derivative"),
    ("unknown_numpy_function", UnknownFunctionError, "np.fooo is not a function symdiff can "
     "differentiate; give it a derivative with symdiff.custom_derivative"),
    ("misspelled_linalg_function", UnknownFunctionError, "did you mean np.linalg.norm?"),
    ("recursion", UnsupportedSyntaxError, "recursion calls itself (recursion)"),
    ("mutual_a", UnsupportedSyntaxError, "mutual_a calls itself (recursion)"),
    ("helper_returning_in_a_loop", UnsupportedSyntaxError, "returns in this loop return different numbers"),
    ("discarded_call", UnsupportedSyntaxError, "the call abs(...) is a statement of its own"),
    ("subscript_assignment", UnsupportedSyntaxError, "in place"),
    ("undefined_name", UnknownFunctionError, "undefined_thing"),
    ("two_outputs", NonScalarOutputError, "returns 2 values"),
    ("string_constant", UnsupportedSyntaxError, "'a'"),
    ("no_return", UnsupportedSyntaxError, "return"),
    ("keyword_call", UnsupportedSyntaxError, "no parameter out"),
    ("bitwise_and", UnsupportedSyntaxError, "&"),
    ("star_params", UnsupportedSyntaxError, "*xs"),
    ("walrus", UnsupportedSyntaxError, "walrus"),
    ("global_state", UnsupportedSyntaxError, "global"),
    ("default_none_as_number", UnsupportedSyntaxError, "None is used as a number here"),
    ("joined_range", UnsupportedSyntaxError, "np.r_[...] with a slice"),
    ("try_except", UnsupportedSyntaxError, "try statement"),
    ("with_block", UnsupportedSyntaxError, "with statement"),
    ("generator", UnsupportedSyntaxError, "yield makes generator a generator"),
    ("coroutine", UnsupportedSyntaxError, "async def coroutine"),
    ("class_inside", UnsupportedSyntaxError, "classdef statement"),
    ("nonlocal_mutation", UnsupportedSyntaxError, "nonlocal"),
    ("dict_state", UnsupportedSyntaxError, "dict key 1 is not a string"),
    ("star_call", UnsupportedSyntaxError, "starred arguments"),
    ("random_numbers", UnknownFunctionError, "np.random.normal draws random numbers"),
    ("assertion", UnsupportedSyntaxError, "assert"),
    ("string_formatting", UnsupportedSyntaxError, "f-string"),
    ("deletion", UnsupportedSyntaxError, "del"),
    ("raising", UnsupportedSyntaxError, "raise"),
    ("import_inside", UnsupportedSyntaxError, "import"),
    ("bound_method", UnknownFunctionError, ".conjugate()"),
    ("set_display", UnsupportedSyntaxError, "a set"),
    ("calls_exec", UnsupportedSyntaxError, "exec(...)"),
    ("opens_a_file", UnknownFunctionError, ".read()"),
    ("module_level_list", UnknownFunctionError, "WEIGHTS is a"),
    ("returns_a_function", UnsupportedSyntaxError, "a lambda"),
    ("matching", UnsupportedSyntaxError, "match"),
    ("function_chosen_in_a_branch", UnsupportedSyntaxError, "g is a different function in each branch"),
]


def marked_line(name: str) -> int:
    lines = open(error_cases.__file__).read().splitlines()
    start = lines.index(next(line for line in lines if line.startswith((f"def {name}(", f"async def {name}("))))
    return start + 1 + next(i for i, line in enumerate(lines[start:]) if "# <-" in line)


@pytest.mark.parametrize("name,cls,construct", CASES, ids=[c[0] for c in CASES])
def test_error_is_located_names_the_construct_and_advises(name, cls, construct):
    with pytest.raises(cls) as info:
        symdiff.grad(getattr(error_cases, name))
    message = str(info.value)
    assert message.startswith(f"{error_cases.__file__}:{marked_line(name)}:")
    assert construct in message
    assert ";" in info.value.detail  # the advice follows the diagnosis
    assert isinstance(info.value, SymdiffError)


@pytest.mark.parametrize("name,cls,construct", CASES, ids=[c[0] for c in CASES])
def test_cli_prints_the_same_single_line_and_exits_2(name, cls, construct, capsys):
    code = cli.main([f"{error_cases.__file__}:{name}"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert captured.err.startswith(f"{error_cases.__file__}:{marked_line(name)}:")
    assert construct in captured.err


@pytest.mark.parametrize("wrt", ["q", 2, -3, (0, 0), ("x", "x"), True, 1.5, ()])
def test_bad_wrt_is_a_wrt_error_listing_the_parameters(wrt):
    with pytest.raises(WrtError) as info:
        symdiff.grad(error_cases.for_wrt, wrt=wrt)
    assert str(info.value).startswith(f"{error_cases.__file__}:{marked_line('for_wrt')}:")
    assert "wrt" in str(info.value)


def test_a_library_function_without_a_rule_points_to_custom_derivative():
    with pytest.raises(UnknownFunctionError) as info:
        symdiff.grad(error_cases.imported_function_without_rule)
    assert "builtin_function_or_method nextafter" in str(info.value)
    assert "symdiff.custom_derivative" in str(info.value)


def test_functions_without_source_are_refused_with_advice():
    namespace = {}
    exec("def made_by_exec(x):\n    return x * x\n", namespace)
    with pytest.raises(SourceUnavailableError, match="exec or in the REPL"):
        symdiff.grad(namespace["made_by_exec"])
    with pytest.raises(SourceUnavailableError, match="not a Python function"):
        symdiff.grad(math.sin)
    with pytest.raises(SourceUnavailableError, match="^<"):
        symdiff.grad("not a function")


def test_cli_reports_a_missing_function_and_a_bad_target(capsys):
    assert cli.main([f"{error_cases.__file__}:nothing_here"]) == 2
    assert "no top-level function named 'nothing_here'" in capsys.readouterr().err
    assert cli.main(["no-colon-here.py"]) == 2
    assert "FILE.py:FUNC" in capsys.readouterr().err
    assert cli.main(["/nonexistent/file.py:f"]) == 2
    assert "cannot read" in capsys.readouterr().err
