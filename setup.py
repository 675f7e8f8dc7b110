"""Package layout that pyproject.toml cannot express on its own.

The bundled sample clips live at the repository's top level (``data/samples``) and are
installed as the package ``runform.samples`` (found with ``importlib.resources``), so a
plain ``pip install .`` wheel carries them. Every other package is found under
``runform/``; everything else is configured in ``pyproject.toml``.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["runform", "runform.*"]), "runform.samples"],
    package_dir={"runform.samples": "data/samples"},
)
