"""docs/configuration.md lists exactly the environment variables factcheck/settings.py reads, with their defaults;
a value that does not parse is refused with an error naming its variable."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import settings as settings_module
from tests.conftest import WAIT_CEILING_SECONDS

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "factcheck" / "settings.py"
TABLE = ROOT / "docs" / "configuration.md"


def settings_reads() -> dict[str, ast.expr | None]:
    """Each variable settings.py reads through an env_* helper, with the default it passes (None if none)."""
    reads = {}
    for node in ast.walk(ast.parse(SETTINGS.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.startswith("env_"):
            name = node.args[0]
            assert isinstance(name, ast.Constant) and isinstance(name.value, str), ast.unparse(node)
            default = node.args[1] if len(node.args) > 1 else None
            reads[name.value] = default
    return reads


def documented() -> dict[str, str]:
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \| ([^|]*) \|", TABLE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    names = [name for name, _ in rows]
    assert len(names) == len(set(names)), "a variable is listed twice"
    return {name: default.strip() for name, default in rows}


def test_the_table_lists_exactly_the_variables_settings_reads():
    reads, table = settings_reads(), documented()

    assert sorted(set(reads) - set(table)) == [], "read by settings.py, missing from docs/configuration.md"
    assert sorted(set(table) - set(reads)) == [], "in docs/configuration.md, not read by settings.py"


def test_settings_read_the_environment_only_through_the_helpers():
    tree = ast.parse(SETTINGS.read_text(encoding="utf-8"))
    helpers = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    direct = [
        ast.unparse(node)
        for top in tree.body
        if not (isinstance(top, ast.FunctionDef) and top.name in helpers)
        for node in ast.walk(top)
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}
    ]
    assert direct == []


def test_the_plain_defaults_in_the_table_are_those_of_settings():
    table = documented()
    for name, default in settings_reads().items():
        if isinstance(default, ast.BinOp):  # 24 * 60 * 60 and the like
            default = ast.Constant(eval(compile(ast.Expression(default), "<default>", "eval")))  # noqa: S307
        if isinstance(default, ast.Constant) and not isinstance(default.value, bool) and default.value != "":
            value = default.value
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            assert f"`{shown}`" in table[name], f"{name}: settings.py says {shown}, the table {table[name]!r}"


def test_the_helpers_are_defined_before_any_section_reads_the_environment():
    tree = ast.parse(SETTINGS.read_text(encoding="utf-8"))
    last_helper = max(node.lineno for node in tree.body if isinstance(node, ast.FunctionDef))
    first_read = min(
        node.lineno
        for top in tree.body
        if not isinstance(top, ast.FunctionDef)
        for node in ast.walk(top)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.startswith("env_")
    )
    assert last_helper < first_read


@pytest.mark.parametrize(
    "helper, args, message",
    [
        (
            settings_module.env_int,
            ("PAGE_MAX_AGE_SECONDS", 0),
            "PAGE_MAX_AGE_SECONDS must be a whole number, got '1d'.",
        ),
        (settings_module.env_bool, ("DEBUG", False), "DEBUG must be a boolean"),
        (settings_module.env_seconds, ("REDIS_TIMEOUT_SECONDS", 0.25), "REDIS_TIMEOUT_SECONDS must be a number"),
        (settings_module.env_url, ("REDIS_URL", "", ("redis",)), "REDIS_URL must be a redis:// URL"),
    ],
)
def test_each_helper_names_the_variable_it_refuses(monkeypatch, helper, args, message):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv(args[0], "1d")
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        helper(*args)


def test_a_url_error_names_the_scheme_and_never_the_password(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("DATABASE_URL", "mysql://portal:s3cret@db/x")
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_module.env_url("DATABASE_URL", "", ("postgres", "sqlite"))
    assert "DATABASE_URL must be a postgres:// or sqlite:// URL, got scheme 'mysql'." == str(refused.value)


def test_a_bad_number_stops_the_start_with_the_variables_name(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PAGE_MAX_AGE_SECONDS": "1d", "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT_CEILING_SECONDS,
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured: PAGE_MAX_AGE_SECONDS must be a whole number, got '1d'." in done.stderr
