"""Layering rules: the engine and plugins know nothing of the UI."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_nothing_outside_tui_imports_textual():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("workbench", "plugins")
        for path in (ROOT / folder).rglob("*.py")
        if "tui" not in path.relative_to(ROOT).parts and "textual" in imported_modules(path)
    ]
    assert offenders == []


def test_plugins_import_only_the_public_api():
    for path in (ROOT / "plugins").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("workbench."):
                raise AssertionError(
                    f"{path.name} imports {node.module}; plugins use `from workbench import ...`"
                )


MAX_LINES = 600


def test_no_module_is_over_600_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for folder in ("workbench", "plugins")
        for path in (ROOT / folder).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules (one job each): {long}"


def test_every_package_says_what_it_holds():
    for init in (ROOT / "workbench").rglob("__init__.py"):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{init.relative_to(ROOT)} needs a docstring"


# Where a planner's input goes wrong: every error raised there exists in Chinese too
# (``zh=`` or a ``Text``), so the workbench and ``--lang zh`` never fall back to English.
BILINGUAL_ERRORS = [
    *sorted((ROOT / "workbench" / "files").glob("*.py")),
    ROOT / "workbench" / "core" / "settings.py",
    ROOT / "workbench" / "planning" / "explain.py",
    ROOT / "workbench" / "planning" / "sweep.py",
    ROOT / "workbench" / "scheme" / "assumptions.py",
    ROOT / "workbench" / "live" / "session.py",
]
NOT_USERS = {"UnicodeDecodeError", "TypeError", "ValueError", "UnitProblem", "AssertionError"}


def _english_only(path):
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
        if not name.endswith("Error") or name in NOT_USERS:
            continue
        if any(k.arg == "zh" for k in node.exc.keywords):
            continue
        first = node.exc.args[0] if node.exc.args else None
        if isinstance(first, ast.Call) and getattr(first.func, "id", "") in ("Text", "_ragged"):
            continue
        if isinstance(first, ast.Name):  # a message made as Text beforehand
            continue
        yield f"{path.relative_to(ROOT)}:{node.lineno}"


def test_errors_a_planner_meets_exist_in_chinese():
    found = [where for path in BILINGUAL_ERRORS for where in _english_only(path)]
    assert found == []
