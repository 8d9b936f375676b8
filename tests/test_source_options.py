"""Source options as typed dataclasses (spiders/<kind>.py, `options_class`): defaults written
once, unknown keys and wrong types refused with the entry named, the README table generated."""

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spiders.feed import FeedOptions, FeedReader
from spiders.usaspending import UsaspendingOptions
from tracker.source_options import SourceOptions
from tracker.sources import KINDS, SourcesError, load_sources, options_class, options_table

README = Path(__file__).resolve().parent.parent / "README.md"
TABLE = re.compile(r"<!-- options-table: start -->\n(.*?)<!-- options-table: end -->", re.S)


def load_one(tmp_path, entry: str):
    path = tmp_path / "sources.yml"
    path.write_text(f"sources:\n  - {{name: s, url: 'https://a.example/x', {entry}}}\n")
    return load_sources(path)[0]


def refusal(tmp_path, entry: str) -> str:
    with pytest.raises(SourcesError) as info:
        load_one(tmp_path, entry)
    message = str(info.value)
    assert ": source s: " in message, message
    return message


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_declares_a_frozen_documented_options_class(kind):
    cls = options_class(kind)
    assert issubclass(cls, SourceOptions) and dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen, kind
    for field in dataclasses.fields(cls):
        help_line = field.metadata.get("help", "")
        assert help_line and "\n" not in help_line and "|" not in help_line, (kind, field.name)


def test_the_reader_carries_its_options_class():
    assert FeedReader.options_class is FeedOptions is options_class("feed")


def test_defaults_come_from_the_dataclass(tmp_path):
    feed = load_one(tmp_path, "kind: feed")
    assert feed.options == FeedOptions() and feed.options.max_pages == 5
    usaspending = load_one(tmp_path, "kind: usaspending, keywords: [artificial intelligence]")
    assert usaspending.options == UsaspendingOptions(keywords=("artificial intelligence",))
    assert usaspending.options.award_type_codes == ("A", "B", "C", "D")
    assert hash(usaspending.options)  # lists become tuples: options are frozen and hashable


def test_a_given_value_replaces_the_default(tmp_path):
    assert load_one(tmp_path, "kind: feed, max_pages: 2, terms: ok").options == FeedOptions(
        terms="ok", max_pages=2)


def test_a_misspelt_option_names_the_nearest_known_one(tmp_path):
    message = refusal(tmp_path, "kind: feed, max_page: 3")
    assert message.endswith("unknown option 'max_page' for a feed source "
                            "(did you mean max_pages?)")


def test_an_unknown_option_far_from_any_lists_the_known_ones(tmp_path):
    message = refusal(tmp_path, "kind: ai_inventory, query: x")
    assert message.endswith("unknown option 'query' for a ai_inventory source (known: terms)")


@pytest.mark.parametrize("entry, expected", [
    ("kind: feed, max_pages: '5'", "max_pages must be an integer >= 1, not '5'"),
    ("kind: feed, max_pages: true", "max_pages must be an integer >= 1, not True"),
    ("kind: feed, max_pages: null", "max_pages must be an integer >= 1, not None"),
    ("kind: sitemap, include_undated: 'yes'", "include_undated must be true or false, not 'yes'"),
    ("kind: gdelt, query: 5", "query must be a string, not 5"),
    ("kind: govuk, formats: news", "formats must be a list of slugs, not 'news'"),
    ("kind: usaspending, keywords: ai", "keywords must be a list of strings, not 'ai'"),
    ("kind: listing, link_selector: [a]", "link_selector must be a CSS selector, not ['a']"),
    ("kind: fedramp, match: 1", "match must be a regular expression, not 1"),
])
def test_a_wrong_type_names_the_option_and_the_type_expected(tmp_path, entry, expected):
    assert refusal(tmp_path, entry).endswith(expected)


@pytest.mark.parametrize("entry, expected", [
    ("kind: gdelt, query: x, max_splits: -1", "max_splits must be 0 or more"),
    ("kind: usaspending, keywords: [ai], limit: 101", "limit must be at most 100"),
    ("kind: usaspending, keywords: [ai], award_type_codes: [A, IDV_A]", "not both"),
    ("kind: ted, query: x, limit: 251", "limit must be at most 250"),
    ("kind: fedramp, match: '('", "match is not a valid regular expression"),
    ("kind: listing, link_selector: a, body_selector: 'div['", "body_selector: invalid CSS"),
])
def test_values_out_of_range_or_syntax_are_refused(tmp_path, entry, expected):
    assert expected in refusal(tmp_path, entry)


def test_validation_needs_no_scrapy_process(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text("sources:\n  - {name: s, kind: listing, url: 'https://a.example/', "
                    "link_selector: a}\n")
    code = ("import sys; from tracker.sources import load_sources; "
            f"load_sources({str(path)!r}); "
            "assert 'twisted.internet.reactor' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=README.parent)
    assert result.returncode == 0, result.stderr


def test_readme_options_table_is_the_generated_one():
    found = TABLE.search(README.read_text(encoding="utf-8"))
    assert found, "README.md lost its <!-- options-table: start/end --> markers"
    assert found.group(1) == options_table(), (
        "README.md's options table differs from the options dataclasses: run "
        "`python -m tracker.sources --options-table` and paste its output between the markers")


def test_options_table_command_prints_the_table():
    result = subprocess.run([sys.executable, "-m", "tracker.sources", "--options-table"],
                            capture_output=True, text=True, timeout=60, cwd=README.parent)
    assert result.returncode == 0 and result.stdout == options_table(), result.stderr
