"""Every page keeps its view in the URL one way: app_pages.common.url_view / keep_view."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGE_FILES = [*sorted((REPO / "app_pages").glob("*.py")), REPO / "dashboard.py"]
MECHANISM = REPO / "app_pages" / "common.py"
# Reading or writing URL state directly, or the codec's low-level calls.
CODEC = {"decode_params", "encode_params"}


def _direct_url_state(path: Path) -> list[str]:
    """Lines of ``path`` that decode/encode view parameters or change ``st.query_params``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in CODEC:
                found.append(f"{path.name}:{node.lineno} calls {name}")
        targets = []
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        for target in targets:
            if isinstance(target, ast.Subscript) and "query_params" in ast.unparse(target.value):
                found.append(f"{path.name}:{node.lineno} writes st.query_params")
    return found


def test_only_the_common_helper_reads_or_writes_view_parameters():
    offenders = [line for path in PAGE_FILES if path != MECHANISM for line in _direct_url_state(path)]
    assert offenders == []


def test_the_check_sees_the_helper_itself():
    # Guards the check: the one mechanism does decode, encode and write the URL.
    found = " ".join(_direct_url_state(MECHANISM))
    assert "decode_params" in found
    assert "encode_params" in found
    assert "writes st.query_params" in found
