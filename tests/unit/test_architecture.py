"""House rules that keep the layers apart: domain code never imports streamlit."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOMAIN_FILES = sorted(
    [
        *REPO.glob("geo/*.py"),
        *REPO.glob("utils/*.py"),
        *[p for p in REPO.glob("data/*.py") if p.name != "loaders.py"],
    ]
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_domain_module_does_not_import_streamlit_or_pages(path):
    modules = imported_modules(path)
    assert "streamlit" not in modules
    assert "app_pages" not in modules


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_module_starts_with_a_docstring(path):
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path
