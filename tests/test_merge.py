"""Merge identity: which reports are one announcement, grouped independently of arrival order."""

import itertools
import random

import pytest

from tracker.events.facts import amounts
from tracker.events.merge import (
    Report,
    amounts_match,
    group,
    progresses,
    row_type,
    same_announcement,
)

KEYS = itertools.count()


def report(vendors, headline=(), families=(), countries=("USA",), agencies=(),
           money=(), day=None, precision="day", source="text", bodies=()):
    return Report(key=(f"article-{next(KEYS)}", 0), vendors=frozenset(vendors),
                  headline_vendors=frozenset(headline),
                  model_families=frozenset(families), countries=frozenset(countries),
                  agencies=frozenset(agencies), open_agencies=frozenset(bodies),
                  amounts=frozenset(money), event_date=day,
                  date_precision=precision if day else None, date_source=source if day else None)


SCHEDULE = report(["anthropic", "google", "openai"], headline=["anthropic", "google", "openai"],
                  agencies=["us-gsa"], day="2025-08-05")
ONE_DOLLAR = report(["anthropic", "google", "openai", "xai"], headline=["anthropic"],
                    agencies=["us-gsa"], money=["USD:1"], day="2025-08-12")


@pytest.mark.parametrize("first, second, same", [
    # A three-vendor schedule listing and a one-vendor $1 deal a week later.
    (SCHEDULE, ONE_DOLLAR, False),
    # A single-vendor award and a later four-vendor award of the same ceiling, both undated.
    (report(["openai"], headline=["openai"], agencies=["us-cdao", "us-dod"], money=["USD:2e+08"]),
     report(["anthropic", "google", "openai", "xai"], headline=["anthropic", "google", "openai",
                                                                "xai"],
            agencies=["us-cdao", "us-dod"], money=["USD:2e+08"]), False),
    # Different amounts by the same vendor to the same agency: two deals.
    (report(["palantir"], agencies=["us-army"], money=["USD:1e+10"], day="2025-07-31"),
     report(["palantir"], agencies=["us-army"], money=["USD:4.8e+08"], day="2025-08-01"), False),
    # Different recipient agencies the same week: two deals.
    (report(["openai"], agencies=["us-gsa"], day="2025-08-06"),
     report(["openai"], countries=["GBR"], agencies=["uk-moj"], day="2025-08-07"), False),
    # Two outlets a day apart, one naming an extra sub-agency: one announcement.
    (report(["openai"], agencies=["us-dod"], day="2025-06-16", source="published"),
     report(["openai"], agencies=["us-dod", "us-cdao"], day="2025-06-17", source="published"),
     True),
    # Outlets round amounts differently: '$3 billion' and '$3.1B'.
    (report(["microsoft"], agencies=["us-gsa"], money=["USD:3e+09"], day="2025-09-02"),
     report(["microsoft"], agencies=["us-gsa"], money=["USD:3.1e+09"]), True),
    # Undated: 'GSA approves Llama' is not 'Meta opens Llama to US agencies'.
    (report(["meta"], families=["meta:llama"], agencies=["us-gsa"]),
     report(["meta"], families=["meta:llama"]), False),
    # Undated: one outlet names the GSA, the other only the $1 both state.
    (report(["anthropic"], families=["anthropic:claude"], agencies=["us-gsa"], money=["USD:1"]),
     report(["anthropic"], families=["anthropic:claude"], money=["USD:1"]), True),
    # Undated, no shared fact at all: not enough.
    (report(["cohere"], countries=["CAN"]), report(["cohere"], countries=["CAN"]), False),
    # Two explicit text dates a week apart are two announcements; a lagging report is not.
    (report(["xai"], agencies=["us-gsa"], day="2025-09-18"),
     report(["xai"], agencies=["us-gsa"], day="2025-09-25"), False),
    (report(["xai"], agencies=["us-gsa"], day="2025-09-25"),
     report(["xai"], agencies=["us-gsa"], day="2025-09-30", source="published"), True),
    # One product family named two ways ('ChatGPT Gov', 'ChatGPT Enterprise') is one deal; two
    # different products of one vendor are two.
    (report(["openai"], families=["openai:chatgpt"], day="2025-06-16"),
     report(["openai"], families=["openai:chatgpt"], day="2025-06-17"), True),
    (report(["xai"], families=["xai:grok"], day="2025-09-25"),
     report(["xai"], families=["xai:aurora"], day="2025-09-25"), False),
    # One ministry as a Russian and a Kazakh outlet name it (open names, no table entry), one
    # of them undated: the same lead vendor, model family and country make one announcement.
    (report(["alibaba"], families=["alibaba:qwen"], countries=["KAZ"], bodies=["x-ru-ministry"],
            day="2025-11-04"),
     report(["alibaba"], families=["alibaba:qwen"], countries=["KAZ"], bodies=["x-kk-ministry"]),
     True),
    (report(["anthropic"], countries=["CHL"], bodies=["x-secretaria"], day="2026-03-02"),
     report(["anthropic"], countries=["CHL"], agencies=["cl-government"], day="2026-03-02"),
     True),
    # Bodies a table knows still tell deals apart, unless both name one more body alike (one
    # outlet's 'NHS England' beside the Ministry of Justice both name).
    (report(["openai"], countries=["GBR"], agencies=["uk-moj"], bodies=["x-a"], day="2025-08-06"),
     report(["openai"], countries=["GBR"], agencies=["uk-mod"], bodies=["x-b"], day="2025-08-07"),
     False),
    (report(["openai"], countries=["GBR"], agencies=["uk-gov"], bodies=["x-moj"],
            day="2025-10-23"),
     report(["openai"], countries=["GBR"], agencies=["nhs"], bodies=["x-moj"], day="2025-10-24"),
     True),
])
def test_same_announcement(first, second, same):
    assert same_announcement(first, second) is same
    assert same_announcement(second, first) is same  # symmetric


def test_amounts_are_normalized_across_spellings():
    assert amounts("a $200 million deal") == amounts("a $200M deal") == amounts("US$200m")
    assert amounts("for $1 per agency") == {"USD:1"}
    assert amounts("200 millions d'euros") == {"EUR:2e+08"}
    assert amounts("no money here, 2025 and 12 agencies") == set()
    assert amounts_match(frozenset({"USD:3e+09"}), frozenset({"USD:3.1e+09"}))
    assert not amounts_match(frozenset({"USD:1"}), frozenset({"USD:2e+08"}))
    # a bare '$' read as US dollars and another outlet's 'C$' are the same figure
    assert amounts_match(frozenset({"USD:1.46e+07"}), frozenset({"CAD:1.46e+07"}))
    assert not amounts_match(frozenset({"USD:1.46e+07"}), frozenset({"EUR:1.46e+07"}))
    assert not amounts_match(frozenset({"USD:1e+06"}), frozenset({"EUR:1e+06"}))


def _stories():
    """Four announcements by overlapping vendors in one month, three outlets each, one outlet
    of each story naming less than the others."""
    stories = []
    for agencies, vendors, money, day in (
            (["us-gsa"], ["anthropic", "google", "openai"], [], "2025-08-05"),
            (["us-gsa"], ["anthropic"], ["USD:1"], "2025-08-12"),
            (["us-cdao", "us-dod"], ["openai"], ["USD:2e+08"], "2025-06-16"),
            (["us-cdao", "us-dod"], ["anthropic", "google", "openai", "xai"], ["USD:2e+08"],
             "2025-07-14")):
        full = [report(vendors, headline=vendors, agencies=agencies, money=money, day=day)
                for _ in range(2)]
        partial = report(vendors, headline=vendors, countries=(), money=money, day=day,
                         source="published")
        stories.append({r.key for r in full + [partial]})
        yield from full + [partial]
    _stories.truth = stories


def test_grouping_is_independent_of_order_and_keeps_announcements_apart():
    reports = list(_stories())
    expected = sorted(sorted(keys) for keys in _stories.truth)
    for seed in range(20):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(sorted(r.key for r in members) for members in group(shuffled)) == expected


def test_a_report_matching_one_member_of_a_large_group_does_not_chain_it():
    """Two outlets date the deal to 12 August in their text, a third dates it by publication on
    the 14th; a report dated the 16th in its text matches only the third and stays out."""
    members = [report(["anthropic"], agencies=["us-gsa"], day="2025-08-12"),
               report(["anthropic"], agencies=["us-gsa"], day="2025-08-12"),
               report(["anthropic"], agencies=["us-gsa"], day="2025-08-14", source="published")]
    later = report(["anthropic"], agencies=["us-gsa"], day="2025-08-16")
    assert sum(same_announcement(later, m) for m in members) == 1
    assert sorted(len(g) for g in group(members + [later])) == [1, 3]


def test_an_undated_report_fitting_two_dated_announcements_joins_the_latest():
    """The same vendor and government sign in June and again in August; an undated report
    fitting both reports the August one (coverage of the later deal names the earlier as
    background, rarely the reverse), never the first group visited."""
    june = report(["cohere"], countries=["CAN"], agencies=["ca-government"], day="2025-06-15")
    august = report(["cohere"], countries=["CAN"], agencies=["ca-government"], day="2025-08-19")
    undated = report(["cohere"], countries=["CAN"], agencies=["ca-government"])
    assert same_announcement(undated, june) and same_announcement(undated, august)
    for reports in ([june, august, undated], [undated, august, june]):
        groups = sorted(sorted(r.event_date or "" for r in g) for g in group(reports))
        assert groups == [["", "2025-08-19"], ["2025-06-15"]]
    # With one dated announcement to fit, it joins it.
    assert sorted(len(g) for g in group([june, undated])) == [2]


@pytest.mark.parametrize("types, expected", [
    (["deployment", "pilot"], "pilot"),  # a tie goes to the more specific deal
    (["pilot", "deployment"], "pilot"),  # whichever report came first
    (["deployment", "deployment", "pilot"], "deployment"),  # else the majority
    (["access", "partnership", "contract"], "contract"),
])
def test_a_rows_type_is_its_reports_majority_then_the_most_specific(types, expected):
    assert row_type(types) == expected


def test_an_undated_report_of_a_joint_award_may_leave_out_its_amount():
    """Four vendors named together are one deal's identity: an undated outlet that skips the
    amount still reports it. A single vendor without the amount could be any of its deals."""
    four = ["anthropic", "google", "openai", "xai"]
    dated = report(four, countries=["USA"], agencies=["us-dod"], day="2025-07-14",
                   money=["USD:2e+08"])
    assert same_announcement(report(four, countries=["USA"], agencies=["us-dod"]), dated)
    alone = report(["palantir"], countries=["USA"], agencies=["us-army"], day="2025-07-31",
                   money=["USD:1e+10"])
    assert not same_announcement(report(["palantir"], countries=["USA"], agencies=["us-army"]),
                                 alone)


def test_a_report_that_continues_an_earlier_stage_joins_it_within_a_year():
    def staged(key, day, stage, continues=False, agencies=("us-army",)):
        return Report(key=(key, 0), vendors=frozenset({"anthropic"}), event_date=day,
                      date_precision="day", date_source="published", stage=stage,
                      continues=continues, agencies=frozenset(agencies),
                      model_families=frozenset({"anthropic:claude"}))
    pilot = staged("a", "2025-03-04", "pilot")
    deployed = staged("b", "2025-09-10", "deployed", continues=True)
    assert progresses(pilot, deployed) and same_announcement(deployed, pilot)
    assert not progresses(pilot, staged("c", "2025-09-10", "deployed"))  # says nothing of it
    assert not progresses(staged("d", "2025-03-04", "deployed"), staged(
        "e", "2025-09-10", "pilot", continues=True))  # no step back
    assert not progresses(pilot, staged("f", "2026-06-01", "deployed", continues=True))  # > 1 y
    assert not progresses(pilot, staged("g", "2025-09-10", "deployed", continues=True,
                                        agencies=("us-navy",)))


def test_undated_outlets_of_one_deal_group_alike_whatever_their_article_ids():
    """Four undated reports of one award: two name different sub-bodies beside the alliance
    and do not match each other, the others match both. Whichever article id sorts first (a
    crawl's URLs decide it), they end as one announcement."""
    import dataclasses

    shape = {"headline": ["palantir"], "families": ["palantir:maven"], "countries": ()}
    reports = [report(["palantir"], agencies=["nato", "nato-ncia"], **shape),
               report(["palantir"], agencies=["nato", "nato-aco"], **shape),
               report(["palantir"], agencies=["nato"], **shape),
               report(["palantir"], agencies=["nato"], **shape)]
    assert not same_announcement(reports[0], reports[1])
    for order in itertools.permutations(range(4)):
        renamed = [dataclasses.replace(r, key=(f"id-{order[i]}", 0))
                   for i, r in enumerate(reports)]
        assert len(group(renamed)) == 1, order


def test_a_report_keeps_bodies_found_by_shape_apart_from_normalized_ones():
    from tracker.events.merge import report_from_event
    event = {"vendors": [{"id": "alibaba"}], "countries": [{"id": "KAZ"}],
             "agencies": [{"id": "kz-government"},  # stored before the flag existed
                          {"id": "x-agency-kaz-ministry", "normalized": False}]}
    made = report_from_event(("article", 0), event)
    assert made.agencies == {"kz-government"}
    assert made.open_agencies == {"x-agency-kaz-ministry"}
