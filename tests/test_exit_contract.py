"""Bad input to any command: exit 2, one line naming the file and the problem, nothing created
or modified (issue 13, class 6). The matrix runs the click commands in-process (CliRunner);
a few cases go through the real entry point to show no traceback reaches the terminal."""

from __future__ import annotations

import hashlib
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from tests.conftest import run_tracker
from tracker.cli import main
from tracker.timeline import open_timeline

CLOSED = "http://127.0.0.1:9/feed.xml"  # nothing listens: a crawl that starts fails fast


def sources_text(extra: str = "", kind: str = "feed", name: str = "a") -> str:
    return f"sources:\n  - name: {name}\n    kind: {kind}\n    url: {CLOSED}\n{extra}"


def alias_bomb() -> str:
    """Under 600 bytes; each level repeats the one before nine times (9^8 strings)."""
    lines = ['a0: &a0 ["' + "x" * 40 + '"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    lines.append(f'sources: [{{name: x, kind: *a8, url: "{CLOSED}"}}]')
    return "\n".join(lines) + "\n"


SOURCES_CASES = {  # case -> (file bytes, what the message must say)
    "binary": (bytes(range(256)) * 8, "binary file"),
    "latin1": (sources_text(name="caf\xe9").encode("latin-1"), "not UTF-8 text"),
    "kind-list": (sources_text(kind="[feed]").encode(), "unknown kind ['feed']"),
    "deep-nesting": (("sources: " + "[" * 3000 + "]" * 3000).encode(), "nested deeper"),
    "misspelt-option": (sources_text("    max_page: 3\n").encode(),
                        "unknown option 'max_page' for a feed source (did you mean max_pages?)"),
    "language-list": (sources_text("    language: [en, fr]\n").encode(),
                      "language must be one language code"),
    "bad-option-type": (sources_text("    max_pages: [1, 2]\n").encode(),
                        "max_pages must be an integer"),
    "alias-bomb": (alias_bomb().encode(), "more than 50 YAML aliases"),
    "oversized": (sources_text().encode() + b"#" * (1024 * 1024 + 1), "larger than 1024 KiB"),
    "invalid-yaml": (b"sources: [\n  - {name: a\n", "invalid YAML at line"),
}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                     SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert len(lines[0]) <= 420, len(lines[0])
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def test_alias_bomb_fixture_is_small():
    assert len(alias_bomb()) < 600


@pytest.mark.parametrize("case", sorted(SOURCES_CASES))
def test_bad_sources_file_exits_2_and_creates_nothing(tmp_path, case):
    body, expected = SOURCES_CASES[case]
    path = tmp_path / "sources.yml"
    path.write_bytes(body)
    db = tmp_path / "newdir" / "t.db"
    result = invoke("crawl", "--sources", str(path), "--db", str(db))
    assert_refused(result, str(path), expected)
    assert not (tmp_path / "newdir").exists()  # no database, no <db>.lock, no directory


@pytest.mark.slow
def test_alias_bomb_through_the_real_entry_point_stays_small(tmp_path):
    path = tmp_path / "bomb.yml"
    path.write_text(alias_bomb())
    result = run_tracker("crawl", "--sources", str(path), "--db", str(tmp_path / "t.db"),
                         timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 300
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.yml"]


# ---------------------------------------------------------------- databases


def make_tracker_db(path) -> None:
    open_timeline(path).close()


def junk(path) -> None:
    path.write_bytes(b"this is a text file, not a database\n" * 20)


def truncated(path) -> None:
    make_tracker_db(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def foreign(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('ada')")
    conn.commit()
    conn.close()


def newer(path) -> None:
    make_tracker_db(path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('tracker', 'm999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()


def read_only_file(path) -> None:
    make_tracker_db(path)
    path.chmod(0o444)


def read_only_dir(path) -> None:
    make_tracker_db(path)
    path.parent.chmod(0o555)


DB_CASES = {  # case -> (make the file, message fragment, commands that only read refuse it too)
    "not-sqlite": (junk, "not a SQLite database", True),
    "truncated": (truncated, "truncated SQLite file", True),
    "foreign": (foreign, "not a tracker database (tables customers", True),
    "newer-schema": (newer, "schema is newer than this code (unknown migrations: m999", True),
    "read-only-file": (read_only_file, "read-only database file", False),
    "read-only-dir": (read_only_dir, "read-only directory", False),
}


def command_args(command: str, db: str, tmp_path) -> list[str]:
    sources = tmp_path / "sources.yml"
    sources.write_text(sources_text())
    return {
        "crawl": ["crawl", "--sources", str(sources), "--db", db],
        "reprocess": ["reprocess", "--db", db],
        "load-queue": ["load-queue", "--redis", "redis://127.0.0.1:9/0", "--idle", "0",
                       "--db", db],
        "stats": ["stats", "--db", db],
        "export": ["export", "--db", db],
        "serve": ["serve", "--db", db, "--port", "9"],
        "explain": ["explain", "https://example.org/a", "--db", db],
        "backup": ["backup", "--db", db, str(tmp_path / "copy.db")],
    }[command]


WRITERS = ("crawl", "reprocess", "load-queue")
READERS = ("stats", "export", "serve", "explain", "backup")


def snapshot(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def dbdir(tmp_path):
    folder = tmp_path / "dbdir"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)


DB_MATRIX = [(case, command) for case, (_, _, readers_refuse) in sorted(DB_CASES.items())
             for command in WRITERS + (READERS if readers_refuse else ())]


@pytest.mark.parametrize("case, command", DB_MATRIX)
def test_unusable_database_exits_2_untouched(dbdir, tmp_path, case, command):
    make, expected, _ = DB_CASES[case]
    db = dbdir / "t.db"
    make(db)
    before = snapshot(dbdir)
    result = invoke(*command_args(command, str(db), tmp_path))
    assert_refused(result, expected)
    assert snapshot(dbdir) == before  # byte-identical, no lock file, no _sqlite_migrations
    assert not (tmp_path / "copy.db").exists()


def test_read_only_database_message_names_the_path(dbdir, tmp_path):
    db = dbdir / "t.db"
    read_only_file(db)
    result = invoke(*command_args("crawl", str(db), tmp_path))
    assert_refused(result, f"{db}: read-only database file")
    assert stat.S_IMODE(db.stat().st_mode) == 0o444


@pytest.mark.slow
def test_foreign_database_through_the_real_entry_point(tmp_path):
    db = tmp_path / "other.db"
    foreign(db)
    before = db.read_bytes()
    sources = tmp_path / "sources.yml"
    sources.write_text(sources_text())
    result = run_tracker("crawl", "--sources", str(sources), "--db", str(db), timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert db.read_bytes() == before
    assert not (tmp_path / "other.db.lock").exists()


def test_a_readable_current_database_still_works_for_readers(tmp_path):
    """The checks refuse only what is broken: a read-only but current database is served."""
    db = tmp_path / "t.db"
    make_tracker_db(db)
    db.chmod(0o444)
    result = invoke("stats", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "articles" in result.output
    result = invoke("export", "--db", str(db), "--format", "json")
    assert result.exit_code == 0 and result.output.strip() == "[]"


# ---------------------------------------------------------------- other options


def test_bad_option_values_exit_2_and_create_nothing(tmp_path):
    sources = tmp_path / "sources.yml"
    sources.write_text(sources_text())
    db = str(tmp_path / "new" / "t.db")
    cases = [
        (["crawl", "--sources", str(sources), "--db", db, "--log-file",
          str(tmp_path / "missing" / "crawl.log")], "--log-file", "does not exist"),
        (["load-queue", "--redis", "foo://queue", "--db", db], "--redis foo://queue",
         "not a redis://"),
        (["crawl", "--sources", str(sources), "--db", db, "--since", "whenever"], "--since",
         "'whenever'"),
    ]
    for args, *fragments in cases:
        assert_refused(invoke(*args), *fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources.yml"]
    result = invoke("serve", "--db", db, "--port", "99999")
    assert result.exit_code == 2 and "99999 is not in the range" in result.output


@pytest.mark.slow
def test_unreachable_redis_is_one_line_exit_1(tmp_path):
    pytest.importorskip("redis")
    result = run_tracker("load-queue", "--redis", "redis://127.0.0.1:9/0", "--idle", "0",
                         "--db", str(tmp_path / "t.db"), timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: --redis redis://127.0.0.1:9/0: ")


def test_a_live_database_mid_checkpoint_is_not_called_truncated(tmp_path):
    """With a -wal beside it, a database a crawl is writing may have a header that already
    counts pages the checkpoint has not yet written: `tracker backup` of a live database must
    not refuse it (seen as a failure of test_backup_while_a_crawl_writes)."""
    from db.checks import check_database

    path = tmp_path / "live.db"
    make_tracker_db(path)
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
    writer.commit()  # the -wal file exists while this connection is open
    header = bytearray(path.read_bytes()[:100])
    pages = int.from_bytes(header[28:32], "big")
    with open(path, "r+b") as handle:  # the header counts five pages more than the file holds
        handle.seek(28)
        handle.write((pages + 5).to_bytes(4, "big"))
    try:
        assert (tmp_path / "live.db-wal").exists()
        assert check_database(path, write=False).exists
    finally:
        writer.close()
