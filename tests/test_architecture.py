"""The package's shape: an acyclic import graph, a display layer that only draws, small files.

Imports are read from the source (``ast``), including imports inside functions, so a
lazy import cannot hide a cycle or a computing module reaching into the widgets.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "runform"
sys.path.insert(0, str(ROOT / "tools"))
from code_shape import shape  # noqa: E402

#: Modules that draw or present; nothing else may import them.
PRESENTING = (
    "runform.widgets",
    "runform.overlay",
    "runform.plots",
    "runform.skeleton_video",
    "runform.report",
    "runform.cli_",
)
#: Command-line entry points: they print and write the report, so they present too.
ENTRY_POINTS = ("runform", "runform.cli", "runform.__main__")
#: The one sanctioned upward edge: Clip's chaining methods (clean(), oriented(), angles()).
SANCTIONED = {
    ("runform.clip", "runform.clean"),
    ("runform.clip", "runform.orientation"),
    ("runform.clip", "runform.kinematics"),
}
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Line numbers inside ``if TYPE_CHECKING:`` blocks (imports for annotations only)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for sub in node.body:
                lines.update(range(sub.lineno, sub.end_lineno + 1))
    return lines


def imports_of(path: Path) -> set[str]:
    """runform modules imported anywhere in a file (relative imports resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text())
    skip = _type_checking_lines(tree)
    out = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("runform"))
        elif isinstance(node, ast.ImportFrom):
            base = (
                importlib.util.resolve_name("." * node.level + (node.module or ""), package)
                if node.level
                else node.module or ""
            )
            if not base.startswith("runform"):
                continue
            for a in node.names:  # "from . import overlay" names a module
                sub = f"{base}.{a.name}"
                out.add(
                    sub
                    if (PKG.parent / (sub.replace(".", "/") + ".py")).exists()
                    or (PKG.parent / sub.replace(".", "/")).is_dir()
                    else base
                )
    return out - {name}


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PKG.rglob("*.py")}


def _collapse(name: str) -> str:
    """Subpackage modules count as their package for cycle purposes (runform.model.*)."""
    parts = name.split(".")
    return ".".join(parts[:2])


def test_import_graph_has_no_cycle_but_the_sanctioned_edges():
    g = {}
    for mod, deps in graph().items():
        a = _collapse(mod)
        for d in deps:
            b = _collapse(d)
            if a != b and (a, b) not in SANCTIONED:
                g.setdefault(a, set()).add(b)
    state, stack = {}, []

    def visit(n):
        state[n] = "open"
        stack.append(n)
        for m in sorted(g.get(n, ())):
            if state.get(m) == "open":
                cycle = [*stack[stack.index(m) :], m]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if m not in state:
                visit(m)
        stack.pop()
        state[n] = "done"

    for node in sorted(g):
        if node not in state:
            visit(node)


def test_computing_modules_never_import_presenting_ones():
    bad = []
    for mod, deps in graph().items():
        if mod.startswith(PRESENTING) or mod in ENTRY_POINTS:
            continue
        bad += [f"{mod} -> {d}" for d in deps if d.startswith(PRESENTING) or d in ENTRY_POINTS]
    assert not bad, "computing modules import presenting ones:\n" + "\n".join(bad)


def test_the_checker_sees_lazy_imports():
    """The walk must find an import inside a function body (Clip.clean imports clean)."""
    assert "runform.clean" in imports_of(PKG / "clip.py")
    assert "runform.analysis" in imports_of(PKG / "widgets" / "_base.py")


def test_modules_and_functions_are_small():
    big, long = [], []
    for mod, n, funcs in shape(PKG):
        if n > MAX_MODULE_LINES:
            big.append(f"{mod}: {n} lines")
        long += [f"{mod}:{f} {k} lines" for f, k in funcs if k > MAX_FUNCTION_LINES]
    assert not big and not long, "\n".join(big + long)


def test_documented_names_work_as_written():
    import runform as rf

    for name in ("data", "io", "model", "reference", "quality", "kinematics"):
        assert getattr(rf, name).__name__ == f"runform.{name}"
    assert callable(rf.analyze) and callable(rf.save_analysis)
