"""Deal facts (tracker/events/deal.py): values and their kinds, vehicles, security levels with
who says so, stages; their conversion to US dollars; and, where the development set is on this
machine, precision and recall against hand labels of its texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import SHARED
from tracker.events import deal, rates
from tracker.events.derive import derive_events
from tracker.events.facts import amounts

DEVSET = SHARED / "devset" / "devset.jsonl"
LABELS = Path(__file__).with_name("fixtures") / "deal_facts" / "devset_labels.yml"
MIN_PRECISION = 0.90


def facts_of(text: str, title: str | None = None, published: str = "2025-07-14",
             url: str | None = None) -> dict:
    """The deal facts of the article's first event."""
    events = derive_events(text, title=title, published=published, url=url).events
    assert events, "the test text must report a supply"
    return events[0]["deal"]


def kinds(found: dict) -> set[tuple]:
    return {(v["kind"], v["currency"], v["amount"]) for v in found["values"]}


# ------------------------------------------------------------------ values
def test_up_to_is_a_ceiling():
    found = facts_of("The Pentagon awarded Anthropic a contract worth up to $200 million for "
                     "frontier AI.")
    assert kinds(found) == {("ceiling", "USD", 200_000_000)}


def test_options_exercised_make_a_ceiling():
    text = ("Palantir, Denver, Colorado, was awarded a $480,000,000 firm-fixed-price contract for "
            "AI software, with a cumulative value of $1,300,000,000 if all options are exercised.")
    found = deal.values([deal.Clause(text)], "2025-07-14")
    assert {(v["kind"], v["amount"]) for v in found} == {("awarded", 480_000_000),
                                                         ("ceiling", 1_300_000_000)}


def test_a_dollar_per_agency_is_nominal_and_a_cap_stays_apart():
    found = facts_of("The Pentagon awarded OpenAI a ChatGPT contract for $1 per agency, with a "
                     "ceiling of $200 million.")
    assert ("nominal", "USD", 1) in kinds(found)
    assert ("ceiling", "USD", 200_000_000) in kinds(found)


def test_cents_are_a_nominal_price():
    found = facts_of("GSA approved xAI's Grok for federal agencies at 42 cents per agency.")
    assert kinds(found) == {("nominal", "USD", 0.42)}


def test_a_range_is_one_value_and_savings_are_none():
    text = "The deal could save agencies an estimated $3.0–$3.1 billion in its first year."
    assert deal.values([deal.Clause(text)], "2025-09-02") == []
    text = "The Army awarded Palantir a contract worth up to $1–$1.3 billion for AI software."
    assert [(v["kind"], v["amount"]) for v in deal.values([deal.Clause(text)], None)] == [
        ("ceiling", 1_300_000_000)]


def test_a_clause_beside_the_event_gives_a_value_only_with_its_kind_words():
    own = deal.Clause("The CDAO awarded OpenAI a prototype agreement.")
    beside = [deal.Clause("Each agreement carries a $200 million ceiling.", own=False),
              deal.Clause("Palantir won a $480 million award last year.", own=False)]
    assert [(v["kind"], v["amount"], v["rule"]) for v in deal.values([own, *beside], None)] == [
        ("ceiling", 200_000_000, "value.ceiling_cue.beside")]


def test_free_of_charge():
    found = facts_of("Meta made Llama available to U.S. government agencies free of charge.")
    assert kinds(found) == {("free", None, 0.0)}


def test_undisclosed_terms():
    found = facts_of("NATO signed a contract with Palantir for the Maven Smart System. "
                     "Financial terms were not disclosed.")
    assert kinds(found) == {("undisclosed", None, None)}


def test_a_valuation_is_no_deal_value():
    found = facts_of("The Canadian government signed a contract with Cohere, the AI company "
                     "valued at $6.8 billion, to deploy its models.")
    assert kinds(found) == set()


def test_a_headline_amount_takes_the_kind_the_text_states():
    found = facts_of("The CDAO structured the agreements with a ceiling of $200 million each.",
                     title="Pentagon awards $200M AI contracts to OpenAI")
    assert kinds(found) == {("ceiling", "USD", 200_000_000)}


def test_french_german_spanish_ceilings():
    for text in ("Le ministère des Armées a signé avec Mistral AI un contrat d'un montant "
                 "maximum de 100 millions d'euros.",
                 "Die Bundeswehr hat mit Mistral AI einen Vertrag über bis zu 200 Mio. Euro für "
                 "KI-Modelle unterzeichnet.",
                 "El Ministerio de Defensa firmó con Anthropic un contrato de hasta 50 millones "
                 "de euros para desplegar Claude."):
        found = facts_of(text)
        assert {v["kind"] for v in found["values"]} == {"ceiling"}, text
        assert {v["currency"] for v in found["values"]} == {"EUR"}, text


def test_euros_convert_at_the_month_of_the_announcement():
    found = facts_of("Le ministère des Armées a signé un contrat de 100 millions d'euros avec "
                     "Mistral AI.", published="2025-07-14")
    value = found["values"][0]
    july = rates.monthly_rates()["2025-07"]
    assert value["usd"] == pytest.approx(100_000_000 * july["USD"], rel=1e-6)
    assert value["fx_month"] == "2025-07" and "ECB" in value["fx_source"]


def test_a_date_past_the_rates_table_says_which_month_it_used():
    last = max(rates.monthly_rates())
    converted = rates.to_usd(1_000_000, "GBP", "2099-01-05")
    assert converted.month == last and "latest month" in converted.source


def test_no_rate_is_invented_for_a_currency_or_date_the_table_lacks():
    assert rates.to_usd(1_000_000, "XAU", "2025-07-14") is None
    assert rates.to_usd(1_000_000, "EUR", "2019-12-01") is None
    assert rates.to_usd(5, "USD", None).rate == 1.0


def test_amounts_in_yen_won_and_cents_are_read():
    assert amounts("総額1億円の契約") == {"JPY:1e+08"}
    assert amounts("100억 원 규모의 계약") == {"KRW:1e+10"}
    assert amounts("for 42 cents") == {"USD:0.42"}


def test_the_row_never_adds_a_ceiling_to_a_nominal_price():
    rows = [{"kind": "nominal", "amount": 1.0, "currency": "USD", "usd": 1.0, "article_id": "a"},
            {"kind": "ceiling", "amount": 2e8, "currency": "USD", "usd": 2e8, "article_id": "a"},
            {"kind": "ceiling", "amount": 2e8, "currency": "USD", "usd": 2e8, "article_id": "b"}]
    chosen = deal.headline_value(rows)
    assert (chosen["kind"], chosen["usd"]) == ("ceiling", 2e8)


# ------------------------------------------------------------------ vehicles, security
def test_vehicles_in_several_languages():
    cases = {"The CDAO awarded OpenAI a prototype Other Transaction agreement.": "ota",
             "Le ministère des Armées a signé un accord-cadre avec Mistral AI.": "framework",
             "Die BWI hat einen Rahmenvertrag mit Helsing für KI geschlossen.": "framework",
             "El Gobierno firmó un acuerdo marco con Anthropic para usar Claude.": "framework",
             "GSA added Claude to its Multiple Award Schedule.": "gsa-mas",
             "The Army awarded Palantir an enterprise agreement for AI software.":
                 "enterprise-agreement",
             "The Army bought Scale AI's tools through the Tradewinds marketplace.": "tradewinds"}
    for text, code in cases.items():
        assert [v["code"] for v in deal.vehicle_terms([deal.Clause(text)])] == [code], text


def test_the_monetary_authority_of_singapore_is_no_schedule():
    text = "Google Cloud signed a memorandum with the Monetary Authority of Singapore (MAS)."
    assert deal.vehicle_terms([deal.Clause(text)]) == []


def test_impact_levels_and_classification():
    text = ("The models are authorized at Impact Levels 4 and 5 and at IL6, and run on "
            "air-gapped Top Secret networks.")
    found = {v["code"] for v in deal.security_terms([deal.Clause(text)], None)}
    assert found == {"dod-il4", "dod-il5", "dod-il6", "air-gapped", "top-secret"}


def test_fedramp_level_replaces_bare_fedramp():
    found = deal.security_terms([deal.Clause("Claude holds a FedRAMP High authorization.")], None)
    assert [v["code"] for v in found] == ["fedramp-high"]


def test_who_says_the_security_level():
    clause = deal.Clause("Gemini is cleared at IL6.")
    official = deal.security_terms([clause], "https://www.defense.gov/News/Releases/1")
    vendor = deal.security_terms([clause], "https://blog.google/public-policy/gemini")
    press = deal.security_terms([clause], "https://news.example.com/story")
    assert [v["said_by"] for v in official + vendor + press] == ["official", "vendor", "press"]
    department = deal.Clause("Gemini is cleared at IL6, the department said.")
    assert deal.security_terms([department], None)[0]["said_by"] == "official"
    quoted = deal.Clause("Google Public Sector says the cloud is cleared at IL-6.",
                         names=((0, 6, "vendor"),))
    assert deal.security_terms([quoted], None)[0]["said_by"] == "vendor"


def test_a_title_case_headline_makes_no_secret():
    clause = deal.Clause("The Secret Weapon Of Pentagon AI", title=True)
    assert deal.security_terms([clause], None) == []


# ------------------------------------------------------------------ stages
def test_stage_follows_the_event_type_and_a_cancellation_ends_it():
    assert facts_of("The U.S. Army deployed Palantir's AI platform across its commands.")[
        "stage"]["stage"] == "deployed"
    cancelled = deal.stage([deal.Clause("The Air Force cancelled its contract with Ask Sage.")],
                           "contract", "2025-07-14")
    assert (cancelled["stage"], cancelled["date"]) == ("cancelled", "2025-07-14")


def test_stage_history_is_dated_and_ordered():
    steps = [{"stage": "deployed", "date": "2025-09-01"},
             {"stage": "awarded", "date": "2025-06-16"},
             {"stage": "awarded", "date": "2025-06-17"}]
    assert [(s["stage"], s["date"]) for s in deal.stage_history(steps)] == [
        ("awarded", "2025-06-16"), ("deployed", "2025-09-01")]


# ------------------------------------------------------------------ the development set
def _predicted(record: dict) -> dict[str, set]:
    events = derive_events(record["text"], title=record["title"], published=record["published"],
                           language=record["language"], url=record["url"]).events
    found = {"values": set(), "vehicles": set(), "security": set()}
    for event in events:
        facts = event["deal"]
        found["values"] |= {(v["kind"], v["currency"], v["amount"] or None)
                            if v["kind"] not in ("free", "undisclosed") else (v["kind"],)
                            for v in facts["values"]}
        found["vehicles"] |= {v["code"] for v in facts["vehicles"]}
        found["security"] |= {v["code"] for v in facts["security"]}
    return found


def _labelled(label: dict) -> dict[str, set]:
    def value(text: str) -> tuple:
        parts = text.split()
        return (parts[0], parts[1], float(parts[2])) if len(parts) == 3 else (parts[0],)
    return {"values": {value(v) for v in label["values"]}, "vehicles": set(label["vehicles"]),
            "security": set(label["security"])}


def score(labels: dict, records: dict) -> dict[str, tuple[float, float, int, int]]:
    """Per fact kind: (precision, recall, predicted, labelled) over the labelled documents."""
    totals = {kind: [0, 0, 0] for kind in ("values", "vehicles", "security")}
    for doc_id, label in labels.items():
        predicted, expected = _predicted(records[doc_id]), _labelled(label)
        for kind, counts in totals.items():
            counts[0] += len(predicted[kind] & expected[kind])
            counts[1] += len(predicted[kind])
            counts[2] += len(expected[kind])
    return {kind: (tp / found if found else 1.0, tp / wanted if wanted else 1.0, found, wanted)
            for kind, (tp, found, wanted) in totals.items()}


def test_labels_name_known_codes():
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    vehicle_codes = {t.code for t in deal.vehicles()}
    security_codes = {t.code for t in deal.security_levels()}
    assert len(labels) >= 20
    for doc_id, label in labels.items():
        assert set(label["vehicles"]) <= vehicle_codes, doc_id
        assert set(label["security"]) <= security_codes, doc_id
        assert all(v.split()[0] in deal.KINDS for v in label["values"]), doc_id


@pytest.mark.needs_shared_data
@pytest.mark.skipif(not DEVSET.exists(), reason="the development set is not on this machine")
def test_devset_precision_per_fact_kind():
    records = {r["id"]: r for r in map(json.loads, DEVSET.read_text(encoding="utf-8").splitlines())}
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    scores = score(labels, records)
    report = ", ".join(f"{kind}: P={p:.2f} R={r:.2f} ({found} found, {wanted} labelled)"
                       for kind, (p, r, found, wanted) in scores.items())
    print(report)
    for precision, _, _, _ in scores.values():
        assert precision >= MIN_PRECISION, report


def test_explain_prints_the_deal_facts():
    from tracker.events.explain import explain
    lines = explain("The Pentagon awarded OpenAI a prototype OTA worth up to $200 million for "
                    "AI, the department said.", published="2025-06-17")
    assert any(line.split()[:2] == ["value", "ceiling"] for line in lines)
    assert any(line.split()[:2] == ["vehicle", "ota"] for line in lines)


def test_deal_terms_and_rates_files_are_well_formed():
    terms = yaml.safe_load(deal.TERMS_YML.read_text(encoding="utf-8"))
    for kind in ("vehicles", "security_levels"):
        codes = [entry["code"] for entry in terms[kind]]
        assert len(codes) == len(set(codes)), kind
        assert all(entry.get("patterns") or entry.get("exact") or entry["code"].startswith("dod-il")
                   for entry in terms[kind])
    assert all(isinstance(entry["rank"], int) for entry in terms["security_levels"])
    table = rates.monthly_rates()
    months = sorted(table)
    assert months[0] == "2023-01" and len(months) == 40
    assert all({"USD", "GBP", "JPY", "CAD", "AUD", "KRW", "INR"} <= set(table[m]) for m in months)
    assert rates.RATES_CSV.read_text(encoding="utf-8").startswith("# Euro foreign exchange")
