"""The events layer on short texts written for each phenomenon it must handle."""

import re

import pytest

from tracker.events.derive import derive_events


def only(text, title=None, published=None):
    result = derive_events(text, title=title, published=published)
    assert len(result.events) == 1, result.events
    return result.events[0]


def ids(event, field):
    return sorted(v["id"] for v in event[field])


# ------------------------------------------------------------------ relevance
@pytest.mark.parametrize("title,text", [
    ("EU AI Act obligations start",
     "Providers of general-purpose AI models such as GPT-4 and Claude must comply with new "
     "obligations under the EU AI Act, the European Commission said."),
    ("Mistral AI raises 1.5 billion euros",
     "Mistral AI raised 1.5 billion euros in a funding round led by investors including "
     "Bpifrance, the French public investment bank."),
    ("Meta quarterly earnings beat estimates",
     "Meta reported record quarterly revenue as spending on Llama models rose."),
    ("Pentagon awards Lockheed Martin F-35 contract",
     "The Pentagon awarded Lockheed Martin a $12 billion contract for 145 F-35 jets."),
    ("Ministry launches its own chatbot",
     "South Korea's Ministry of National Defense launched an in-house generative AI chatbot "
     "for its staff, built by its own engineers."),
    ("Researchers adapt Llama for a military",
     "Researchers linked to China's People's Liberation Army fine-tuned Meta's Llama without "
     "authorization, violating its license."),
    ("Why the Pentagon should buy more AI",
     "The Pentagon should award more AI contracts to startups such as Anthropic and Scale AI, "
     "the think tank argues."),
    ("Salesforce opens a new office",
     "Salesforce opened a new office in Dublin.\nAlso read: Army awards Anthropic a contract to "
     "deploy Claude Gov\nThe office will employ 300 people."),
    ("Mistral AI and Helsing team up",
     "Mistral AI and Helsing announced a partnership to develop AI for defence applications."),
    ("Government in talks with OpenAI",
     "The UK Ministry of Defence is in talks with OpenAI and plans to test ChatGPT next year."),
    # A company's business in general, as investors read it, names no deal.
    ("Is Palantir stock a buy?",
     "Palantir's long-standing relationship with the Department of Defense is fueling "
     "expectations of a ramp-up in contract awards.\nPalantir continues to land key government "
     "contracts.\nIts exposure to government demand offers a unique growth profile."),
])
def test_look_alikes_are_not_events(title, text):
    assert derive_events(text, title=title).events == []


def test_supply_reported_as_fact_is_an_event():
    event = only("The U.S. Army awarded Anthropic a $20 million contract to deploy Claude Gov "
                 "on classified networks.", title="Army awards Anthropic AI contract",
                 published="2025-03-04")
    assert ids(event, "vendors") == ["anthropic"]
    assert ids(event, "countries") == ["USA"]
    assert "us-army" in ids(event, "agencies")
    assert event["event_type"] == "contract"


def test_a_model_named_without_its_vendor_is_enough():
    """Articles with no vendor or model named skip clause analysis; a model alone must not."""
    event = only("The Bundeswehr signed a contract for Llama models for its analysts.",
                 title="Bundeswehr buys Llama")
    assert ids(event, "vendors") == ["meta"] and ids(event, "countries") == ["DEU"]


def test_no_vendor_no_model_no_event():
    result = derive_events("The Ministry of Defence signed a contract for an AI system to sort "
                           "its logistics data, the ministry said.", title="Ministry buys AI")
    assert result.events == [] and result.unmatched == []


# ------------------------------------------------------------------ roles
def test_rival_and_vendor_home_are_not_recipients():
    event = only("The German armed forces signed a contract with Mistral AI to deploy its AI "
                 "models. The French startup competes with rivals in China and the United States.",
                 title="Bundeswehr signs AI contract with Mistral AI")
    assert ids(event, "countries") == ["DEU"]


def test_meeting_venue_country_is_not_a_recipient():
    event = only("Canada's federal government signed a partnership with Cohere to use its AI "
                 "models in public services, at a meeting attended by UK Prime Minister Keir "
                 "Starmer.", title="Ottawa partners with Cohere on AI")
    assert ids(event, "countries") == ["CAN"]
    assert "GBR" not in ids(event, "countries")


def test_comparison_clause_adds_nothing():
    event = only("Le ministère des Armées a signé un accord-cadre avec Mistral AI pour déployer "
                 "ses modèles d'intelligence artificielle. Aux États-Unis, où OpenAI et Anthropic "
                 "multiplient les contrats avec le Pentagone, la tendance est la même.",
                 title="Le ministère des Armées signe avec Mistral AI")
    assert ids(event, "vendors") == ["mistral-ai"]
    assert ids(event, "countries") == ["FRA"]
    assert "us-dod" not in ids(event, "agencies")


def test_international_body_has_no_country():
    event = only("NATO has acquired Palantir's Maven Smart System, the alliance said, and "
                 "the NATO Communications and Information Agency signed the contract.",
                 title="NATO buys Palantir AI system")
    assert ids(event, "countries") == []
    assert {"nato", "nato-ncia"} <= set(ids(event, "agencies"))
    assert ids(event, "models") == ["maven-smart-system"]


def test_subnational_government_is_a_recipient():
    event = only("Das Land Baden-Württemberg setzt den KI-Assistenten F13 von Aleph Alpha in "
                 "allen Ministerien ein.", title="Baden-Württemberg führt KI-Assistenten ein")
    assert ids(event, "vendors") == ["aleph-alpha"]
    assert ids(event, "countries") == ["DEU"]
    assert ids(event, "agencies") == ["de-bw"]


# ------------------------------------------------------------------ partners, products, events
def test_hosting_and_integration_companies_are_partners():
    event = only("Meta is making Llama available to US government agencies. Amazon Web "
                 "Services and Microsoft Azure host the models, and IBM's watsonx platform "
                 "brings them to national security agencies.",
                 title="Meta makes Llama available to US agencies")
    assert ids(event, "vendors") == ["meta"]
    assert ids(event, "models") == ["llama"]
    assert {"aws", "microsoft", "ibm"} <= set(ids(event, "partners"))


def test_background_supply_is_a_separate_event():
    result = derive_events(
        "NATO signed a contract with Palantir for the Maven Smart System. Palantir previously "
        "supplied similar AI technology to the US Army in September 2024.",
        title="NATO signs agreement with Palantir")
    assert len(result.events) == 2
    main, earlier = result.events
    assert ids(main, "agencies") == ["nato"] and ids(main, "countries") == []
    assert ids(earlier, "agencies") == ["us-army"] and ids(earlier, "countries") == ["USA"]
    assert (earlier["event_date"], earlier["date_precision"]) == ("2024-09-01", "month")


def test_another_vendors_deal_named_as_background_is_not_this_reports_news():
    result = derive_events(
        "Kazakhstan's Ministry of Digital Development signed a memorandum with Anthropic on "
        "Tuesday to give civil servants access to Claude. The agreement follows a similar deal "
        "between the United Arab Emirates and OpenAI announced last year.",
        title="Kazakhstan signs AI memorandum", published="2026-03-12")
    by_vendor = {tuple(ids(e, "vendors")): e for e in result.events}
    assert by_vendor[("anthropic",)]["event_date"] == "2026-03-10"
    earlier = by_vendor[("openai",)]
    assert earlier["event_date"] is None
    assert earlier["rules"]["event"] == "event.background_supply"


@pytest.mark.parametrize("text,country,name", [
    ("The Ministry of Defence of the Republic of Kazakhstan signed a contract with Microsoft to "
     "use Copilot.", "KAZ", "Ministry of Defence of the Republic of Kazakhstan"),
    ("The Ministry of National Defense of Vietnam signed a contract with Microsoft to use "
     "Copilot.", "VNM", "Ministry of National Defense of Vietnam"),
    ("Kazakhstan's Ministry of Defence signed a contract with Microsoft to use Copilot.", "KAZ",
     "Ministry of Defence"),
])
def test_a_body_name_countries_share_belongs_to_the_country_its_phrase_names(text, country, name):
    event = only(text, title=None)
    assert ids(event, "countries") == [country]
    assert [a["name"] for a in event["agencies"]] == [name]


def test_a_body_qualified_by_its_own_country_stays_the_known_body():
    event = only("The UK's Ministry of Defence signed a contract with Microsoft to use Copilot.",
                 title=None)
    assert ids(event, "agencies") == ["uk-mod"] and ids(event, "countries") == ["GBR"]


def test_two_vendors_two_events():
    result = derive_events(
        "The Office of Personnel Management began issuing Microsoft Copilot and OpenAI ChatGPT "
        "to its employees — and the General Services Administration added Meta's Llama to the "
        "tools agencies can deploy at no cost.",
        title="OPM deploys Copilot and ChatGPT")
    by_vendor = {tuple(ids(e, "vendors")): e for e in result.events}
    assert set(by_vendor) == {("microsoft", "openai"), ("meta",)}
    assert ids(by_vendor[("meta",)], "agencies") == ["us-gsa"]
    assert ids(by_vendor[("microsoft", "openai")], "agencies") == ["us-opm"]


# ------------------------------------------------------------------ aliases
@pytest.mark.parametrize("name", ["Pentagon", "Department of War", "DoD", "Defense Department"])
def test_defense_department_aliases(name):
    event = only(f"The {name} awarded Scale AI a contract to build Thunderforge, an AI agent "
                 "for military planners.", title="Scale AI wins AI planning contract")
    assert "us-dod" in ids(event, "agencies")


def test_cdao_long_form_and_aws_alias():
    event = only("The Chief Digital and Artificial Intelligence Office awarded Anthropic a "
                 "contract for Claude, hosted on Amazon Web Services.",
                 title="CDAO awards Anthropic contract")
    assert "us-cdao" in ids(event, "agencies")
    assert ids(event, "partners") == ["aws"]


def test_metonyms_stand_for_governments():
    event = only("Whitehall has signed a contract with Faculty AI to deploy AI models across "
                 "departments.", title="Whitehall signs Faculty AI contract")
    assert ids(event, "countries") == ["GBR"]


# ------------------------------------------------------------------ languages and dates
def test_french_date_and_ministry():
    event = only("Le ministère des Armées a signé le 5 novembre 2024 un contrat avec Mistral AI "
                 "pour déployer ses modèles d'intelligence artificielle.",
                 title="Contrat entre le ministère des Armées et Mistral AI",
                 published="2024-11-06")
    assert event["event_date"] == "2024-11-05"
    assert ids(event, "agencies") == ["fr-minarm"]


def test_german_date():
    event = only("Die Bundeswehr setzt seit dem 4. November 2024 KI-Modelle von Aleph Alpha ein.",
                 title="Bundeswehr nutzt KI von Aleph Alpha", published="2024-11-05")
    assert event["event_date"] == "2024-11-04"
    assert ids(event, "countries") == ["DEU"]


def test_spanish_ministry():
    event = only("El Ministerio de Defensa firmó un contrato con Microsoft para desplegar "
                 "Copilot en las Fuerzas Armadas.", title="Defensa firma contrato con Microsoft",
                 published="2025-02-10")
    assert ids(event, "vendors") == ["microsoft"]
    assert ids(event, "countries") == ["ESP"]


def test_japanese_date_from_text_and_year_from_publication():
    event = only("デジタル庁は10月2日、OpenAIと生成AIの活用で連携すると発表した。",
                 title="デジタル庁、OpenAIと連携", published="2025-10-21")
    assert event["event_date"] == "2025-10-02"
    assert ids(event, "agencies") == ["jp-digital-agency"]
    assert event["event_type"] == "partnership"


def test_korean_ministry():
    event = only("국방부는 2025년 3월 5일 네이버와 생성형 AI 도입 계약을 체결했다고 밝혔다.",
                 title="국방부, 네이버와 생성형 AI 계약", published="2025-03-06")
    assert ids(event, "countries") == ["KOR"]
    assert event["event_date"] == "2025-03-05"


def test_weekday_resolves_against_publication_date():
    event = only("Meta announced on Monday that US government agencies may use Llama, making "
                 "the model available to national security agencies.",
                 title="Meta makes Llama available to US agencies", published="2024-11-05")
    assert event["event_date"] == "2024-11-04"


# ------------------------------------------------------------------ evidence
def test_every_value_has_evidence_and_confidence():
    event = only("The U.S. Army awarded Anthropic a contract to deploy Claude Gov.",
                 title="Army awards Anthropic contract")
    for field in ("vendors", "models", "countries", "agencies"):
        for value in event[field]:
            assert value["evidence"] and 0 < value["confidence"] <= 1


def test_unknown_organisations_are_kept_for_review():
    result = derive_events("The U.S. Army awarded Anthropic a contract, delivered through "
                           "Northwind Integration Technologies, to deploy Claude Gov.",
                           title="Army awards Anthropic contract")
    assert any(u["text"] == "Northwind Integration Technologies" for u in result.unmatched)


def test_cloud_company_is_a_vendor_when_it_is_awarded():
    event = only("The Chief Digital and Artificial Intelligence Office awarded contracts worth up "
                 "to $200 million each to Anthropic, Google, OpenAI and xAI for frontier AI.",
                 title="Pentagon awards frontier AI contracts to four companies")
    assert ids(event, "vendors") == ["anthropic", "google", "openai", "xai"]
    assert ids(event, "partners") == []


def test_possessive_names_the_vendor_of_a_model():
    result = derive_events("デジタル庁は、AWSのNova Liteを活用していた。",
                           title="デジタル庁、生成AIを活用", published="2025-10-02")
    assert [ids(e, "vendors") for e in result.events] == [["amazon"]]


def test_use_of_a_vendors_models_by_a_military_is_a_deployment():
    event = only("Israel's military used AI models from Microsoft and OpenAI to analyse "
                 "intercepted communications, an investigation found.",
                 title="Military used commercial AI models, investigation finds")
    assert ids(event, "vendors") == ["microsoft", "openai"]
    assert ids(event, "countries") == ["ISR"]
    assert event["event_type"] == "deployment"


@pytest.mark.needs_shared_data
def test_no_events_in_real_non_adoption_news(real_fixtures):
    """Real pages about other news (shared fixtures) must not produce adoption events."""
    from tracker.extract.article import extract_article

    pages = sorted((real_fixtures / "article-html").glob("*.html"))
    assert pages
    for page in pages:
        article = extract_article(page.read_bytes(), "https://example.org/a", "utf-8")
        result = derive_events(article.text, title=article.title, published=article.published,
                               language=article.language)
        assert result.events == [], page.name


CUE_PARTS = [  # shared first letters, either case, a loose branch between runs, quantified
    r"\bcontracts?\b", r"\bawards?\b", r"\bAuftrag", r"\bacquired?\b", r"\$\s?\d+\s*million",
    r"\b(?:former|ex-)\s", r"\bcontrat", r"\bx?ray\b", r"\bfoo|bar", r"\bélu", r"\bAI\b",
    r"\ba\.i\.", r"\b[Ss]igned\b", r"\bsign\w*\s+(?:un|l'|d'un)\s*accord", r"契約", r"\bA",
    r"(?-i:\bmay\b)", r"(?-i:\bMight\b)", r"(?-i:\bmay)be", r",\s+where\b", r",\s+où\b",
    r"-based\b", r"\b(?:value|cost|price) (?:was|is) not disclosed", r"(?:contract|Kontrakt)\w*",
    r"\b[Vv]alue of",
]
CUE_TEXTS = [
    "The Army awarded a $5 million contract; the Auftrag was acquired by an ex- partner.",
    "AUFTRAG vergeben, contrat signé, a.i. and AI and A.I. in Xray and ray and foobar bar.",
    "Élu, élu, signed, Signed, sign un accord, signé l'accord, 契約を締結 Acquire acquired.",
    "former chief, formerly, barred, contracts? awards! a award",
    "It may, MAY or might; Might maybe, in Paris, where, à Paris, où US-based and -based",
    "The value was not disclosed; its COST IS NOT DISCLOSED, Value of the Kontrakts, contracts",
]


@pytest.mark.parametrize("flags", [re.IGNORECASE, 0])
def test_factored_cue_alternation_matches_like_the_plain_one(flags):
    from tracker.events.cues import _alternation

    bounded = [p[2:] for p in CUE_PARTS if p.startswith(r"\b")]  # one shared \b, unfactored
    plain = re.compile("|".join([r"\b(?:" + "|".join(f"(?:{p})" for p in bounded) + ")"] + [
        f"(?:{p})" for p in CUE_PARTS if not p.startswith(r"\b")]), flags)
    factored = _alternation(CUE_PARTS, flags)
    assert factored.pattern != plain.pattern
    for text in CUE_TEXTS:
        assert [m.span() for m in factored.finditer(text)] == \
            [m.span() for m in plain.finditer(text)], text


SCRIPT_PARTS = CUE_PARTS + [r"\bконтракт", r"合同", r"عقد", r"\bérigé", r"\u212aelvin",
                            r"\bñ?andu", r"ÉTAT", r"[Ττ]εχνητ", r"\b[Ии]нтеллект",
                            r"[Kk]unstmatig", r"[ÉE]tat civil", r"[a-z]?ρ"]
SCRIPT_TEXTS = CUE_TEXTS + [
    "Контракт подписан: контракт с ведомством", "签署合同，采购", "وقعت عقد مع الوزارة",
    "érigé, Érigé and kelvin and \u212aelvin", "ñandu andu", "l'état et l'ÉTAT",
    "plain ascii contract", "Τεχνητή νοημοσύνη και τεχνητή", "Искусственный интеллект и Интеллект",
    "kunstmatige Kunstmatig", "Etat civil, État civil", "aρ ρ"]


@pytest.mark.parametrize("flags", [re.IGNORECASE, 0])
def test_cue_twins_match_like_the_full_pattern_in_every_script(flags):
    """The ASCII and Latin twins leave out only fragments that cannot match such text."""
    from tracker.events.cues import Cue, _alternation, _rx

    cue = _rx(*SCRIPT_PARTS, flags=flags)
    full = _alternation(SCRIPT_PARTS, flags)
    assert isinstance(cue, Cue) and cue.ascii.pattern != full.pattern
    assert "εχνητ" not in cue.latin.pattern and "нтеллект" not in cue.ascii.pattern
    assert "unstmatig" in cue.ascii.pattern and "tat civil" in cue.ascii.pattern
    for text in SCRIPT_TEXTS:
        assert [m.span() for m in cue.finditer(text)] == \
            [m.span() for m in full.finditer(text)], text
        assert bool(cue.search(text)) == bool(full.search(text))


def test_a_relative_clause_with_where_does_not_veto_the_supply():
    """', where' introduces a place as often as a comparison: 'the cloud platform, where
    they are purchased by the military' reports the supply; a comparison still names itself
    ('as in the US, where ...') and stays vetoed."""
    event = only("Advanced AI models are provided by OpenAI through the Microsoft Azure cloud "
                 "platform, where they are purchased by the Israeli military.",
                 title="Artificial intelligence and the Israeli military")
    assert ids(event, "countries") == ["ISR"] and ids(event, "vendors") == ["openai"]
    assert derive_events("As in the US, where OpenAI supplies the Pentagon, Canadian agencies "
                         "may follow.", title="Canada weighs AI").events == []


@pytest.mark.parametrize("title, text, language", [
    ("Helsing liefert Drohnen an die Ukraine",
     "Helsing lieferte der Ukraine 4.000 KI-gestützte Kampfdrohnen vom Typ HX-2.", "de"),
    ("Mistral AI livre l'armée",
     "Mistral AI a livré ses modèles d'IA au ministère des Armées.", "fr"),
    ("Google suministra IA al Ejército",
     "Google suministró su inteligencia artificial Gemini al Ministerio de Defensa de España.",
     "es"),
])
def test_a_delivery_is_a_supply(title, text, language):
    assert derive_events(text, title=title, published="2025-02-01", language=language).events


def test_the_use_of_named_vendors_technology_is_a_deployment():
    event, = derive_events(
        "The Israeli military's use of Microsoft and OpenAI technology grew sharply in 2024.",
        published="2025-02-18").events
    assert ids(event, "vendors") == ["microsoft", "openai"]
    assert event["event_type"] == "deployment"


def test_a_market_move_does_not_veto_the_deal_it_follows():
    """The stock clause is not a supply; the deal in its 'after' clause still is."""
    event, = derive_events(
        "Palantir stock rose 4.6% on Monday, after the NATO Communications and Information "
        "Agency announced that it had acquired the Maven Smart System from Palantir.",
        published="2025-04-14").events
    assert ids(event, "agencies") == ["nato-ncia"]


@pytest.mark.parametrize("after, expected", [
    # A later clause refers back to the supply and delivers it: its bodies receive it.
    ("The final product will go to U.S. Indo-Pacific Command to help with resource "
     "allocation.", ["us-diu", "us-indopacom"]),
    # A clause that speaks of something else lends nothing.
    ("The money will go to U.S. Indo-Pacific Command.", ["us-diu"]),
])
def test_a_clause_referring_back_to_the_supply_names_its_receivers(after, expected):
    event, = derive_events("The Defense Innovation Unit awarded Scale AI a contract to build an "
                           "AI planning tool. " + after, published="2025-03-05").events
    assert ids(event, "agencies") == expected
    rules = {v["id"]: v["rule"] for v in event["agencies"]}
    assert rules.get("us-indopacom", "agency.supply_referred_back") == \
        "agency.supply_referred_back"


def test_an_agency_named_for_other_initiatives_is_not_a_recipient():
    event, = derive_events(
        "While Meta is already partnering with the US State Department on other initiatives, "
        "it is now making Llama available to US government agencies.",
        published="2024-11-04").events
    assert "us-state" not in ids(event, "agencies")
    assert ids(event, "countries") == ["USA"]


@pytest.mark.parametrize("language,title,text", [
    ("en", "Tiwa Systems raises $6m Series A to expand into Ghana",
     "The Lagos start-up Tiwa Systems, which builds an AI tax assistant, raised $6m."),
    ("en", "Fund backs Harrowgate",
     "The NATO Innovation Fund said its investment did not imply any commitment by NATO to buy "
     "Harrowgate's AI products."),
    ("es", "El SII y Google exploran un acuerdo de IA",
     "El Servicio de Impuestos Internos de Chile y Google exploran un acuerdo para usar Gemini."),
    ("pt", "Exército negocia com Google uso do Gemini",
     "O Exército Brasileiro negocia com o Google o uso do Gemini em logística."),
    ("de", "Gespräche mit Aleph Alpha",
     "Das Land Hessen führt Gespräche mit Aleph Alpha über den Einsatz von KI-Assistenten."),
])
def test_funding_rounds_talks_and_disclaimed_purchases_are_no_events(language, title, text):
    assert derive_events(text, title=title, language=language).events == []


def test_a_headline_of_talks_lends_its_vendor_to_no_clause():
    """'Army negotiates with Google' heads the article; the Army's own model is no Google
    supply because the headline named Google."""
    text = ("O Exército negocia com o Google o uso do Gemini. Em paralelo, o Centro Tecnológico "
            "do Exército, em parceria com o Instituto Militar de Engenharia, desenvolve um modelo "
            "de linguagem próprio.")
    assert derive_events(text, title="Exército negocia com Google uso do Gemini",
                         language="pt").events == []
