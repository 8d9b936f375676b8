"""Linking events to official records (tracker/records/linking.py), pure functions on dicts."""

from datetime import date

from tracker.extract.records import amount, iso_day
from tracker.records.linking import links_for, matches, no_record_reasons

TODAY = date(2025, 9, 1)


def event(**fields):
    base = {"id": "e1", "event_type": "contract", "event_date": "2025-07-14", "vendors": [],
            "models": [], "countries": ["USA"], "agencies": [], "partners": [], "texts": []}
    return {**base, **fields}


def award(**fields):
    base = {"id": "usaspending:X1", "kind": "usaspending", "record_type": "award",
            "title": "SOFTWARE LICENSES", "agency": "Department of Defense", "sub_agency": None,
            "recipient": "PALANTIR USG INC", "country": "USA", "value": 1000.0,
            "value_kind": "obligation", "currency": "USD", "record_date": "2025-08-01",
            "vehicle": None, "status": None, "security_level": None}
    return {**base, **fields}


def test_a_dod_component_matches_a_department_award_in_the_window():
    found = matches(event(vendors=["Palantir"], agencies=["US Army"]), [award()])
    assert [(f["link"], f["score"], f["reason_code"]) for f in found] == [
        ("usaspending:X1", 0.8, "vendor+agency+date")]
    assert "agency Department of Defense" in found[0]["reason"]


def test_vendor_and_one_more_criterion_is_not_enough():
    far = award(record_date="2024-01-01")
    assert matches(event(vendors=["Palantir"], agencies=["US Army"]), [far]) == []
    assert matches(event(vendors=["Palantir"], agencies=["GSA"]), [award()]) == []


def test_a_record_of_another_country_or_vendor_never_matches():
    assert matches(event(vendors=["Palantir"], agencies=["US Army"], countries=["GBR"]),
                   [award()]) == []
    assert matches(event(vendors=["OpenAI"], agencies=["US Army"]), [award()]) == []


def test_a_reseller_named_as_partner_matches_with_less_weight():
    carahsoft = award(recipient="CARAHSOFT TECHNOLOGY CORP",
                      agency="Department of Transportation",
                      record_date="2025-07-20", title="GOOGLE WORKSPACE WITH GEMINI")
    found = matches(event(vendors=["Google"], partners=["Carahsoft"], agencies=["DOT"],
                          models=["Gemini"]), [carahsoft])
    assert [(f["score"], f["reason_code"]) for f in found] == [
        (0.95, "partner+agency+date+product")]


def test_a_fedramp_product_counts_once_authorized_and_only_its_best_record_links():
    product = {"id": "fedramp:F1", "kind": "fedramp", "record_type": "product",
               "title": "Grok for Government", "agency": None, "recipient": "xAI",
               "country": "USA", "record_date": "2025-06-01", "status": "FedRAMP Authorized",
               "security_level": "High"}
    step = {**product, "id": "fedramp:F1:2025-06-01:FedRAMP Authorized:High",
            "record_type": "status_change", "title": "Grok for Government: FedRAMP Authorized"}
    news = event(vendors=["xAI"], event_type="authorization", event_date="2025-06-10",
                 texts=["GSA lists Grok for Government"])
    found = matches(news, [product, step])
    assert [f["link"] for f in found] == ["fedramp:F1"]
    assert "authorized 2025-06-01, in force at the event" in found[0]["reason"]
    in_process = {**product, "status": "FedRAMP In Process"}
    assert matches(news, [in_process]) == []


def test_reasons_no_record_can_exist():
    ota = event(agencies=["CDAO"], texts=["a prototype other transaction agreement"])
    assert no_record_reasons(ota, set(), TODAY) == ["ota_not_in_usaspending", "dod_90_day_delay"]
    assert no_record_reasons(ota, set(), date(2026, 1, 1)) == ["ota_not_in_usaspending"]
    used = event(event_type="deployment", agencies=["NGA"])
    assert no_record_reasons(used, set(), TODAY) == ["national_security_excluded"]
    networks = event(texts=["a contract worth $48 million to put Claude on classified systems"])
    assert no_record_reasons(networks, set(), date(2026, 1, 1)) == []
    secret = event(countries=["DEU"], texts=["Die Regierung hält die Kosten für die KI geheim."])
    assert no_record_reasons(secret, set(), TODAY) == ["classified", "non_us_no_registry"]
    french = event(countries=["FRA"], agencies=["French Ministry of the Armed Forces"])
    assert no_record_reasons(french, set(), TODAY) == ["non_us_no_registry"]
    assert no_record_reasons(french, {"ted"}, TODAY) == []
    assert no_record_reasons(event(countries=["GBR"]), {"ocds"}, TODAY) == []


def test_links_for_lists_matches_then_reasons():
    news = event(vendors=["Palantir"], agencies=["US Army"], event_date="2025-08-05",
                 texts=["an other transaction agreement"])
    assert [link["link"] for link in links_for(news, [award()], set(), TODAY)] == [
        "usaspending:X1", "no_record:ota_not_in_usaspending", "no_record:dod_90_day_delay"]


def test_amounts_and_dates_refuse_what_no_record_holds():
    assert [amount(v) for v in (12.345, "1,200.5", "n/a", 1e20, float("nan"), True, None)] == [
        12.35, 1200.5, None, None, None, None, None]
    assert [iso_day(v) for v in ("2024-09-09T20:00:00.000Z", "Not Active", "2025-13-01", 3)] == [
        "2024-09-09", None, None, None]


def test_an_agency_named_inside_a_longer_buyer_name_holds():
    notice = award(id="ted:1", kind="ted", record_type="can-standard", country="DEU",
                   recipient="Aleph Alpha GmbH", record_date="2024-10-28",
                   agency="Bundesamt für Ausrüstung, Informationstechnik und Nutzung der "
                          "Bundeswehr")
    news = event(vendors=["Aleph Alpha"], agencies=["Bundeswehr"], countries=["DEU"],
                 event_date="2024-11-04", event_type="deployment")
    assert [(f["link"], f["reason_code"]) for f in matches(news, [notice])] == [
        ("ted:1", "vendor+agency+date")]


def test_a_reported_value_counts_against_a_comparable_recorded_one():
    news = event(vendors=["Palantir"], agencies=["US Army"], event_date="2024-01-01",
                 value_kind="obligated", value_amount=4_100_000.0, value_currency="USD")
    recorded = award(value=4_000_000.0, record_date="2023-01-01")
    assert [(f["score"], f["reason_code"]) for f in matches(news, [recorded])] == [
        (0.75, "vendor+agency+value")]
    ceiling = {**news, "value_kind": "ceiling"}  # never compared with an obligation
    assert matches(ceiling, [recorded]) == []
    assert matches({**news, "value_currency": "EUR"}, [recorded]) == []


def test_a_vehicle_the_events_layer_calls_an_ota_needs_no_wording():
    assert no_record_reasons(event(vehicle="ota"), set(), date(2026, 1, 1)) == [
        "ota_not_in_usaspending"]


def test_one_buyers_record_needs_its_agency_a_fedramp_authorization_does_not():
    claude_pilot = award(id="ai_inventory:DOE-703", kind="ai_inventory", record_type="use_case",
                         title="Anthropic Claude Pilot", agency="Department of Energy",
                         recipient="Anthropic", record_date="2025-06-30")
    onegov = event(vendors=["Anthropic"], agencies=["GSA"], models=["Claude"],
                   event_type="authorization", event_date="2025-08-12")
    assert matches(onegov, [claude_pilot]) == []
    assert [f["reason_code"] for f in matches({**onegov, "agencies": ["Department of Energy"]},
                                              [claude_pilot])] == ["vendor+agency+date+product"]
