"""The package's layout keeps its rules (README, "How the code is organised"): imports
go one way (no circle among symdiff's modules), no private name crosses a module,
symdiff's own modules are imported at the top of a file, and no module grows past
600 lines. Read from the source with `ast`; nothing is imported."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "symdiff"
MAX_LINES = 600


def modules() -> dict[str, ast.Module]:
    """Dotted module name -> its syntax tree, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(), str(path))
    return found


def imported(name: str, node: ast.ImportFrom, known) -> list[str]:
    """The symdiff modules a `from ... import ...` of module `name` reads."""
    package = name.split(".") if name in known and _is_package(name) else name.split(".")[:-1]
    base = package[:len(package) - node.level + 1] if node.level else []
    target = ".".join(base + (node.module.split(".") if node.module else []))
    if not target.startswith("symdiff"):
        return []
    submodules = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known]
    return submodules or [target]


def _is_package(name: str) -> bool:
    return (PACKAGE.parent / name.replace(".", "/") / "__init__.py").exists()


def graph() -> dict[str, set[str]]:
    known = modules()
    edges = {}
    for name, tree in known.items():
        edges[name] = {t for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                       for t in imported(name, node, known) if t != name}
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of `edges`, each as the path that closes it."""
    found, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def test_no_import_circle():
    assert circles(graph()) == []


def test_a_circle_would_be_seen():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_private_name_crosses_a_module():
    crossing = [f"{name}: {a.name} from {node.module}" for name, tree in modules().items()
                for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level
                for a in node.names if a.name.startswith("_")]
    assert crossing == []


def test_symdiff_modules_are_imported_at_the_top():
    local = [f"{name}:{node.lineno}" for name, tree in modules().items()
             for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level
             and node not in tree.body]
    assert local == []


def test_no_module_is_over_600_lines():
    long = {str(p.relative_to(PACKAGE.parent)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_the_checks_see_the_imports_they_check():
    # the graph must hold the arrows there are, or the circle test could not fail
    edges = graph()
    assert "symdiff.ir" in edges["symdiff.analysis"]
    assert "symdiff.primitives" in edges["symdiff.ir"]
    assert "symdiff.frontend.state" in edges["symdiff.frontend.lower"]
