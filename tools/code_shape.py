"""Print the size of every runform module and its longest function (docstring excluded).

``python tools/code_shape.py [--max-module 400] [--max-function 60]``; exits 1 when a
limit is exceeded. ``tests/test_architecture.py`` runs the same check.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "runform"


def _code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function without its docstring (signature and body).

    Numpy-style docstrings with units and sign conventions are long by design; the
    limit is on code a reader has to follow.
    """
    n = node.end_lineno - node.lineno + 1
    first = node.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        n -= first.end_lineno - first.lineno + 1
    return n


def shape(root: Path = ROOT):
    """Yield (module, n_lines, [(function, n_lines), ...]) for every module under root."""
    for path in sorted(root.rglob("*.py")):
        text = path.read_text()
        tree = ast.parse(text)
        funcs = []
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                funcs.append((node.name, _code_lines(node)))
        yield path.relative_to(root.parent).as_posix(), len(text.splitlines()), funcs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--max-module", type=int, default=400)
    ap.add_argument("--max-function", type=int, default=60)
    args = ap.parse_args(argv)
    bad = 0
    print(f"{'module':40s} {'lines':>6s} {'longest function':>30s}")
    for mod, n, funcs in shape():
        name, longest = max(funcs, key=lambda f: f[1], default=("-", 0))
        flag = " <-- module" if n > args.max_module else ""
        if longest > args.max_function:
            flag += " <-- function"
        bad += bool(flag)
        print(f"{mod:40s} {n:6d} {name[:24]:>24s} {longest:5d}{flag}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
