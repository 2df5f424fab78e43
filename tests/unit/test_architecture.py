"""House rules that keep the layers apart (see ../shared/STYLE.md and README "Code layout").

Imports point one way: dashboard.py -> app_pages/ -> data/loaders.py -> geo/ -> utils/, and
app_pages/figures/ -> geo/, utils/. Only dashboard.py, the page files and data/loaders.py import
streamlit; nothing reads a file when it is imported.
"""

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
FIGURE_FILES = sorted(REPO.glob("app_pages/figures/*.py"))
PAGE_FILES = sorted(p for p in REPO.glob("app_pages/*.py"))
LOADERS = REPO / "data" / "loaders.py"
APP_FILES = sorted([REPO / "dashboard.py", *PAGE_FILES, *FIGURE_FILES, LOADERS, *DOMAIN_FILES])

# Layer of a first-party module -> the first-party layers it may import.
MAY_IMPORT = {
    "utils": {"utils"},
    "geo": {"geo", "utils"},
    "data": {"data", "geo", "utils"},  # the build, readers and the register store
    "data.loaders": {"data", "geo", "utils"},
    "app_pages.figures": {"app_pages.figures", "geo", "utils"},
    "app_pages": {"app_pages", "app_pages.figures", "data", "data.loaders", "geo", "utils"},
    "dashboard": {"app_pages", "app_pages.figures", "data", "data.loaders", "geo", "utils"},
}
FIRST_PARTY = {"utils", "geo", "data", "app_pages", "dashboard"}
MAY_IMPORT_STREAMLIT = {"app_pages", "data.loaders", "dashboard"}

# Calls that read a file (or the database) when they run.
READERS = {
    "open",
    "read_csv",
    "read_parquet",
    "read_excel",
    "read_file",
    "read_text",
    "read_bytes",
    "load",
    "loads",
    "connect",
    "create_engine",
}


def rel(path: Path) -> str:
    return str(path.relative_to(REPO))


def layer_of_path(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return layer_of_module(".".join(parts))


def layer_of_module(module: str) -> str:
    for layer in ("app_pages.figures", "data.loaders"):
        if module == layer or module.startswith(layer + "."):
            return layer
    return module.split(".")[0]


def imported_modules(path: Path) -> set[str]:
    """Full dotted names of every module a file imports (anywhere in it, not only at the top)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from data import loaders` imports the module data.loaders
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def first_party_layers(path: Path) -> set[str]:
    """Layers of the project's own modules a file imports."""
    return {layer_of_module(m) for m in imported_modules(path) if m.split(".")[0] in FIRST_PARTY}


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=rel)
def test_domain_module_does_not_import_streamlit_or_pages(path):
    modules = {m.split(".")[0] for m in imported_modules(path)}
    assert "streamlit" not in modules
    assert "app_pages" not in modules


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=rel)
def test_every_module_starts_with_a_docstring(path):
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path


@pytest.mark.parametrize("path", APP_FILES, ids=rel)
def test_imports_point_one_way_down_the_layers(path):
    layer = layer_of_path(path)
    wrong = first_party_layers(path) - MAY_IMPORT[layer] - {layer}
    assert not wrong, f"{rel(path)} ({layer}) imports {sorted(wrong)}"


@pytest.mark.parametrize("path", APP_FILES, ids=rel)
def test_only_pages_dashboard_and_loaders_import_streamlit(path):
    uses_streamlit = any(m.split(".")[0] == "streamlit" for m in imported_modules(path))
    if layer_of_path(path) not in MAY_IMPORT_STREAMLIT:
        assert not uses_streamlit, f"{rel(path)} imports streamlit"


@pytest.mark.parametrize("path", sorted(REPO.glob("utils/*.py")), ids=rel)
def test_utils_imports_neither_geo_nor_streamlit(path):
    roots = {m.split(".")[0] for m in imported_modules(path)}
    assert not roots & {"geo", "streamlit", "data", "app_pages"}, rel(path)


@pytest.mark.parametrize("path", FIGURE_FILES, ids=rel)
def test_figures_read_no_data(path):
    """Figures draw what they are given: no loaders, no build, no database, no file reading."""
    roots = {m.split(".")[0] for m in imported_modules(path)}
    assert "data" not in roots and "streamlit" not in roots, rel(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {_call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert not calls & (READERS - {"load", "loads"}), rel(path)


def test_loaders_import_no_figures_and_not_the_build_pipeline():
    modules = imported_modules(LOADERS)
    assert not any(m.startswith("app_pages") for m in modules)
    assert "data.build" not in modules and "build_all" not in str(modules)


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _module_level_calls(tree: ast.Module):
    """Calls that run when the module is imported (not inside a function or class body)."""
    stack = [n for n in tree.body if not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.ClassDef):
            stack.extend(n for n in node.body if not isinstance(n, ast.FunctionDef))
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


@pytest.mark.parametrize(
    "path", [*DOMAIN_FILES, *FIGURE_FILES, LOADERS, REPO / "app_pages" / "map_layers.py"], ids=rel
)
def test_no_module_reads_files_at_import(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    reads = sorted({_call_name(c) for c in _module_level_calls(tree)} & READERS)
    assert not reads, f"{rel(path)} reads at import: {reads}"


def test_the_layer_rules_catch_a_wrong_import(tmp_path):
    """The checks above can fail: a utils module importing geo is caught."""
    bad = REPO / "utils" / "_layer_probe.py"
    assert not bad.exists()
    probe = tmp_path / "probe.py"
    probe.write_text("from geo import coverage\nimport streamlit as st\nX = open('f').read()\n")
    assert {"geo", "streamlit"} <= {layer_of_module(m) for m in imported_modules(probe)}
    assert "open" in {_call_name(c) for c in _module_level_calls(ast.parse(probe.read_text()))}
