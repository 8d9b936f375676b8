"""Under CI=true a skipped test fails the run: CI must exercise every path it claims to.

A test that cannot run in CI (data that is not in the repository) is deselected by .ci/run
with `-m`, which pytest reports, instead of skipping. tests/conftest.py loads this plugin;
`-p tests.ci_no_skips` loads it on its own (tests/test_ci_no_skips.py).
"""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") == "true":
        config.pluginmanager.register(SkipsFailTheRun(), "ci-no-skips")


class SkipsFailTheRun:
    def __init__(self) -> None:
        self.skipped: list[tuple[str, str]] = []

    def _record(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        # An expected failure reports as skipped too; it is deliberate, not a path left untested.
        if report.skipped and not hasattr(report, "wasxfail"):
            self.skipped.append((report.nodeid, skip_reason(report)))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._record(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        # A module skipped as a whole (allow_module_level, importorskip) never reaches runtest.
        self._record(report)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        ok = (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
        if self.skipped and session.exitstatus in ok:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.skipped:
            return
        terminalreporter.section("CI=true: skipped tests fail the run", sep="=", red=True)
        for nodeid, reason in self.skipped:
            terminalreporter.line(f"SKIPPED {nodeid}: {reason}", red=True)
        terminalreporter.line("Install what they need (.ci/run) or deselect them with -m, "
                              "saying why.")


def skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: why")
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)
