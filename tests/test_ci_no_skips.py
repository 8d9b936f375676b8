"""tests/ci_no_skips.py: under CI=true any skip fails the run and is listed with its reason;
elsewhere a skip stays a skip."""

from __future__ import annotations

import pytest

# The plugin under test alone; the inner runs need no asyncio.
PLUGINS = ("-p", "tests.ci_no_skips", "-p", "no:asyncio")

SOME_SKIPS = """
import pytest

pytest.importorskip("a_module_nobody_installs")
"""

ONE_OF_EACH = """
import pytest

def test_runs():
    pass

@pytest.mark.skipif(True, reason="needs a browser")
def test_marked():
    pass

def test_skips_itself():
    pytest.skip("no server here")

@pytest.mark.xfail(reason="known bug", strict=True)
def test_expected_failure():
    assert False
"""


def run(pytester: pytest.Pytester, monkeypatch, ci: str | None, **modules: str):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makepyfile(**modules)
    return pytester.runpytest(*PLUGINS)


def test_a_skip_under_ci_fails_the_run_and_names_the_test_and_reason(pytester, monkeypatch):
    result = run(pytester, monkeypatch, "true", test_mixed=ONE_OF_EACH)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1, skipped=2, xfailed=1)
    result.stdout.fnmatch_lines([
        "*CI=true: skipped tests fail the run*",
        "SKIPPED test_mixed.py::test_marked: needs a browser",
        "SKIPPED test_mixed.py::test_skips_itself: no server here",
    ])
    assert "test_expected_failure" not in result.stdout.str().split("skipped tests fail")[1]


def test_a_module_skipped_whole_under_ci_fails_the_run(pytester, monkeypatch):
    result = run(pytester, monkeypatch, "true", test_module=SOME_SKIPS,
                 test_fine="def test_ok():\n    pass\n")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["SKIPPED test_module.py: could not import "
                                 "'a_module_nobody_installs'*"])


@pytest.mark.parametrize("ci", [None, "false", "1"])
def test_without_ci_true_a_skip_is_only_a_skip(pytester, monkeypatch, ci):
    result = run(pytester, monkeypatch, ci, test_mixed=ONE_OF_EACH)
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, skipped=2, xfailed=1)
    assert "skipped tests fail the run" not in result.stdout.str()


def test_a_deselected_test_is_not_a_skip(pytester, monkeypatch):
    monkeypatch.setenv("CI", "true")
    pytester.makeini("[pytest]\nmarkers =\n    needs_data: reads files outside the repository\n")
    pytester.makepyfile(test_data="""
import pytest

@pytest.mark.needs_data
def test_reads_data():
    pytest.skip("the data is absent")

def test_other():
    pass
""")
    result = pytester.runpytest(*PLUGINS, "-m", "not needs_data")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, deselected=1)
