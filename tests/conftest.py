import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.siteserver import FIXTURES, SiteServer

# pytester: tests/test_ci_no_skips.py; ci_no_skips: under CI=true a skip fails the run.
pytest_plugins = ["pytester", "tests.ci_no_skips"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"  # outside the repository: tests reading it are needs_shared_data
REAL_FIXTURES = SHARED / "fixtures" / "real"


@pytest.fixture
def site():
    with SiteServer(FIXTURES / "site") as server:
        yield server


@pytest.fixture
def sources_file(site, tmp_path):
    """The fixture site's sources file, pointing at the running server."""
    text = (FIXTURES / "site" / "sources.yml").read_text().replace("{{BASE}}", site.base)
    path = tmp_path / "sources.yml"
    path.write_text(text)
    return path


def run_tracker(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    """The real console entry point in a subprocess, extraction inline to keep tests quick."""
    env = dict(os.environ, TRACKER_EXTRACT_WORKERS=os.environ.get("TRACKER_EXTRACT_WORKERS", "0"),
               TRACKER_LOG_LEVEL="WARNING")
    return subprocess.run([sys.executable, "-m", "tracker.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def real_fixtures(request):
    # The marker is how .ci/run leaves these out where ../shared is absent (a skip fails CI).
    assert request.node.get_closest_marker("needs_shared_data"), \
        f"{request.node.nodeid} reads ../shared: mark it needs_shared_data"
    if not REAL_FIXTURES.exists():
        pytest.skip("../shared/fixtures/real is not present")
    return REAL_FIXTURES


DEMO_SITE = ROOT / "demo" / "site"


def pytest_collection_modifyitems(config, items):
    # demo_db crawls in a `tracker crawl` subprocess: one unmarked user would slow test-fast.
    unmarked = [item.nodeid for item in items if "demo_db" in getattr(item, "fixturenames", ())
                and item.get_closest_marker("slow") is None]
    if unmarked:
        raise pytest.UsageError("mark these slow (they use demo_db): " + ", ".join(unmarked))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demo site (demo/site: 16 fictional articles, 6 languages) crawled once per session.

    Returns (db_path, site_base) for tests of what readers see (Datasette, export, browser).
    """
    tmp = tmp_path_factory.mktemp("demo-db")
    db = tmp / "tracker.db"
    with SiteServer(DEMO_SITE) as server:
        sources = tmp / "sources.yml"
        sources.write_text((DEMO_SITE / "sources.yml").read_text().replace("{{BASE}}", server.base))
        result = run_tracker("crawl", "--sources", str(sources), "--db", str(db))
        assert result.returncode == 0, result.stderr
        return db, server.base
