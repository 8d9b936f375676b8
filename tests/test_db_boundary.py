"""db/ stores what tracker/ decided and depends on nothing in it (DESIGN.md, data flow)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "db"


def imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports, at any depth of its code."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module)
    return modules


def test_no_module_of_db_imports_tracker():
    found = {f"{path.name}: {module}" for path in DB.glob("**/*.py")
             for module in imported_modules(path)
             if module == "tracker" or module.startswith("tracker.")}
    assert found == set()


def test_no_migration_reads_the_schema_as_it_is_now():
    """Editing db/schema.py (what the store writes now) must not change an old migration."""
    assert {m for m in imported_modules(DB / "migrations.py") if m.startswith("db")} == set()


@pytest.mark.parametrize(("variable", "expected"), [(None, "db/tracker.db"),
                                                    ("/srv/t.db", "/srv/t.db")])
def test_the_default_database_is_the_working_directorys_unless_tracker_db_says(
        tmp_path, variable, expected):
    """Not the package's directory: an installed package's is neither the project nor
    writable."""
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
    env["PYTHONPATH"] = str(ROOT)
    if variable:
        env["TRACKER_DB"] = variable
    shown = subprocess.run([sys.executable, "-c", "import db; print(db.DEFAULT_DB)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == expected
