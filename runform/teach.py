"""Instructor tools: student and solution copies of master notebooks.

A master notebook holds everything: the lesson, the exercises and, after each exercise,
the instructor's answer in a code cell tagged ``solution`` (cell tags: JupyterLab's
property inspector, or ``metadata.tags`` in the file). Cells tagged ``instructor`` are
notes for the teacher. Two commands write the copies::

    python -m runform.teach student notebooks/ --out student/
    python -m runform.teach solutions notebooks/ --out solutions/

The student copy drops ``solution`` and ``instructor`` cells, so the exercises stay and
the answers go (students answer in the exercise widgets, or in the cells the master
leaves for them, e.g. a function to complete). Exercise cells tagged ``exercise`` have
their code folded (``jupyter.source_hidden``) so the question, not its code, is what a
student sees first. The solution copy
keeps every cell and opens with a banner. Both are written without outputs, and the
masters are never changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = [
    "INSTRUCTOR_TAG",
    "SOLUTION_TAG",
    "main",
    "solutions_copy",
    "student_copy",
    "write_copies",
]

SOLUTION_TAG = "solution"
INSTRUCTOR_TAG = "instructor"
BANNER = (
    "**Instructor copy — solutions included.** Cells tagged `solution` answer the "
    "exercise above them; students get a copy without them "
    "(`python -m runform.teach student`)."
)


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _clear(cell) -> None:
    if cell.get("cell_type") == "code":
        cell["outputs"], cell["execution_count"] = [], None


def student_copy(nb):
    """A copy of notebook ``nb`` (nbformat node) without solutions or teacher notes."""
    import nbformat

    out = nbformat.from_dict(nb)
    cells = []
    for cell in out.cells:
        tags = _tags(cell)
        if INSTRUCTOR_TAG in tags or SOLUTION_TAG in tags:
            continue
        _clear(cell)
        cells.append(cell)
    out.cells = cells
    return out


def solutions_copy(nb):
    """A copy of notebook ``nb`` with every cell and an instructor banner on top."""
    import nbformat

    out = nbformat.from_dict(nb)
    for cell in out.cells:
        _clear(cell)
    out.cells.insert(0, nbformat.v4.new_markdown_cell(BANNER, metadata={"tags": ["banner"]}))
    return out


def write_copies(kind: str, source: str | Path, out_dir: str | Path) -> list[Path]:
    """Write ``kind`` ("student" or "solutions") copies of a notebook or a folder of them.

    Returns the files written; the folder layout (and data next to the notebooks) is
    not copied, only ``*.ipynb``.
    """
    import nbformat

    make = {"student": student_copy, "solutions": solutions_copy}[kind]
    src = Path(source)
    files = [src] if src.is_file() else sorted(src.glob("*.ipynb"))
    if not files:
        raise FileNotFoundError(f"no notebooks in {src}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for f in files:
        target = out / f.name
        if target.resolve() == f.resolve():
            raise ValueError(f"refusing to overwrite the master {f}")
        nbformat.write(make(nbformat.read(f, as_version=4)), target)
        written.append(target)
    return written


def main(argv=None) -> int:
    """Command line: ``python -m runform.teach {student,solutions} SRC --out DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m runform.teach",
        description="Write student copies (solutions removed) or solution copies of "
        "master notebooks.",
    )
    parser.add_argument("kind", choices=["student", "solutions"])
    parser.add_argument("source", help="a master notebook or a folder of them")
    parser.add_argument("--out", required=True, help="folder for the copies")
    args = parser.parse_args(argv)
    for path in write_copies(args.kind, args.source, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
