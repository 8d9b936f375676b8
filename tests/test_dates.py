"""Event dates: the announcement day, never a term's end, never after the report."""

from datetime import date

import pytest

from tracker.events.dates import find_dates
from tracker.events.derive import derive_events

PUBLISHED = date(2025, 9, 26)  # a Friday


@pytest.mark.parametrize("text", [
    "The agreement runs through March 2027.",
    "Agencies can use the offer until June 30, 2026.",
    "The estimated completion date for the work is July 2026.",
    "L'offre est valable jusqu'au 31 décembre 2026.",
    "Das Angebot gilt bis Ende März 2027.",
    "La oferta estará vigente hasta el 30 de junio de 2026.",
    # the start of a period, or what came before, is not the announcement either
    "The army has used the model since March 2024.",
    "After a surprise attack on Oct. 7, 2023, its use of the models skyrocketed.",
])
def test_a_terms_end_is_not_a_date_of_the_text(text):
    assert find_dates(text, PUBLISHED) == []


@pytest.mark.parametrize("text", [
    "Контракт действует до 31 марта 2025 года.", "Umowa obowiązuje do 31 marca 2025 r.",
    "Kontrak berlaku hingga 31 Maret 2025.", "العقد ساري حتى 31 مارس 2025",
    "Aftalen gælder frem til 31. december 2026.", "Avtalen gjelder inntil 31. desember 2026.",
    "Kontrak itu berkuat kuasa sehingga 31 Disember 2026.",
    "Smlouva platí do 31. března 2026.", "Contractul este valabil până la 31 martie 2026.",
    "Contractul este valabil pana la 31 martie 2026.", "החוזה בתוקף עד 31 במרץ 2026.",
    "Mkataba utadumu hadi tarehe 31 Machi 2026.", "Mkataba utadumu mpaka 31 Machi 2026.",
])
def test_a_terms_end_is_not_a_date_in_other_languages_either(text):
    assert find_dates(text, PUBLISHED) == []


# PUBLISHED is a Friday; every weekday below names the Wednesday before it
@pytest.mark.parametrize("text", [
    "anunciou nesta quarta-feira", "annunciato mercoledì", "maakte woensdag bekend",
    "ogłosiło w środę", "meddelade på onsdagen", "объявило в среду", "την Τετάρτη ανακοίνωσε",
    "mengumumkan pada hari Rabu", "cho biết vào thứ Tư", "أعلنت يوم الأربعاء", "周三宣布",
    "수요일 밝혔다", "сәрсенбі күні мәлімдеді", "oplyste onsdag", "oplyste i onsdags",
    "opplyste onsdag", "kertoi keskiviikkona", "çarşamba günü açıkladı", "ÇARŞAMBA günü",
    "memaklumkan pada hari Rabu", "повідомило в середу", "बुधवार को घोषणा की",
    "ประกาศเมื่อ วันพุธ ที่ผ่านมา", "oznámilo ve středu", "a anunțat miercuri",
    "הודיע ביום רביעי", "ilitangaza Jumatano", "ilitangaza siku ya Jumatano",
])
def test_weekdays_of_every_language_resolve_against_publication(text):
    assert [(d.value, d.relative) for d in find_dates(text, PUBLISHED)] == \
        [(date(2025, 9, 24), "weekday")]


@pytest.mark.parametrize("text", [
    "24 de setembro de 2025", "24 settembre 2025", "24 september 2025", "24 września 2025",
    "24 сентября 2025 года", "24 Σεπτεμβρίου 2025", "24 September 2025", "24 سبتمبر 2025",
    "24 أيلول 2025", "ngày 24 tháng 9 năm 2025", "ngày 24/9/2025", "24 қыркүйек 2025",
    "24. september 2025", "24. syyskuuta 2025", "24 Eylül 2025", "24 EYLÜL 2025",
    "24 Eylul 2025", "24 вересня 2025", "24 सितंबर 2025", "24 सितम्बर 2025", "24 กันยายน 2025",
    "24. září 2025", "24 septembrie 2025", "24 בספטמבר 2025", "ב-24 בספטמבר 2025",
    "tarehe 24 Septemba 2025", "Septemba 24, 2025",
])
def test_day_month_dates_of_every_language(text):
    assert [d.value for d in find_dates(text, PUBLISHED)] == [date(2025, 9, 24)]


@pytest.mark.parametrize("text,day", [
    ("3 Mac 2025", date(2025, 3, 3)),  # Malay
    ("3. marts 2025", date(2025, 3, 3)),  # Danish
    # Turkish: ignoring case, a dotted or dotless i matches i, as in capitals and in text
    # written without Turkish letters
    ("3 NİSAN 2025", date(2025, 4, 3)), ("3 MAYIS 2025", date(2025, 5, 3)),
    ("3 Mayis 2025", date(2025, 5, 3)), ("3 EKİM 2024", date(2024, 10, 3)),
    ("3 ARALIK 2024", date(2024, 12, 3)), ("3 Aralık 2024", date(2024, 12, 3)),
])
def test_month_names_of_the_added_languages(text, day):
    assert [d.value for d in find_dates(text, PUBLISHED)] == [day]


@pytest.mark.parametrize("text", ["Довідка. Уряд України. Речення.", "मंत्रालय ने कहा। अनुबंध हुआ।"])
def test_sentences_of_ukrainian_and_hindi_split(text):
    from tracker.events.text import split_sentences
    assert len(split_sentences(text)) in (2, 3)


@pytest.mark.parametrize("text", ["v září 2025", "în septembrie 2025", "בספטמבר 2025",
                                  "Septemba 2025"])
def test_a_month_and_year_of_the_later_languages_is_a_month(text):
    assert [(d.value, d.precision) for d in find_dates(text, PUBLISHED)] == \
        [(date(2025, 9, 1), "month")]


def test_a_finnish_month_in_the_inessive_is_a_month():
    assert [(d.value, d.precision) for d in find_dates("syyskuussa 2025", PUBLISHED)] == \
        [(date(2025, 9, 1), "month")]


@pytest.mark.parametrize("text", [
    "pazar payı arttı",  # 'pazar' alone is a market, not Sunday
    "cuma",  # Indonesian 'only', not Friday
    "în ultimele luni",  # Romanian 'luni' is Monday and 'months': left out
    "timp de 12 luni",
])
def test_a_weekday_word_that_is_an_ordinary_word_is_no_date(text):
    assert find_dates(text, PUBLISHED) == []


def test_an_ordinal_that_spells_a_weekday_is_no_date():
    assert find_dates("Đây là lần thứ hai Bộ ký hợp đồng.", PUBLISHED) == []


@pytest.mark.parametrize("text", [
    "date 2025-09-26 The agency signed the deal.",
    "Published on September 26, 2025. The agency signed the deal.",
    "Publié le 26 septembre 2025 ; l'agence a signé.",
    "Publiceret 26. september 2025. Styrelsen har underskrevet aftalen.",
    "Publisert 26. september 2025. Direktoratet har signert avtalen.",
    "Julkaistu 26. syyskuuta 2025. Ministeriö allekirjoitti sopimuksen.",
    "Yayınlanma tarihi: 26 Eylül 2025. Bakanlık sözleşmeyi imzaladı.",
    "Diterbitkan 26 September 2025. Jabatan itu memeterai kontrak.",
])
def test_the_pages_own_date_line_is_not_the_announcement(text):
    assert find_dates(text, PUBLISHED) == []


def test_the_announcement_day_beats_the_page_date_line():
    event = derive_events(
        "date 2025-09-26 On Thursday, 25 September 2025, the General Services Administration "
        "signed an agreement with xAI to offer Grok to federal agencies for 42 cents.",
        title="GSA signs deal with xAI for Grok", published="2025-09-26").events[0]
    assert event["event_date"] == "2025-09-25"


def test_an_end_of_term_date_never_dates_the_event():
    event = derive_events(
        "The General Services Administration signed an agreement with xAI that gives federal "
        "agencies access to Grok; the agreement runs through March 2027.",
        title="GSA signs deal with xAI for Grok", published=None).events[0]
    assert event["event_date"] is None


def test_an_undated_page_takes_the_date_of_its_announcement_sentence():
    event = derive_events(
        "Executive brief\nAnthropic announced on June 6, 2025, the release of Claude Gov for US "
        "national security customers. The models are already deployed by agencies at the "
        "highest level of US national security.",
        title="Anthropic launches Claude Gov for US agencies", published=None).events[0]
    assert (event["event_date"], event["identity"]["date_source"]) == ("2025-06-06", "text")


def test_nothing_is_announced_after_its_report():
    """An undated page cannot report a day still to come (the bound is then today)."""
    event = derive_events(
        "The U.S. Army awarded Palantir a contract on December 3, 2099 for its Maven Smart "
        "System AI.", title="Army awards Palantir Maven contract", published=None).events[0]
    assert event["event_date"] is None


def test_a_weekday_in_the_announcement_sentence_dates_a_report_published_later():
    event = derive_events(
        "OpenAI has won a $200 million contract with the Department of Defense for frontier AI "
        "prototypes. The deal was announced Monday in the Pentagon's daily list of contracts.",
        title="OpenAI lands $200 million US defense contract", published="2025-06-17").events[0]
    assert (event["event_date"], event["identity"]["date_source"]) == ("2025-06-16", "weekday")


@pytest.mark.parametrize("text,sentences", [
    ("Gen. Smith met U.S. officials on Sept. 27, 2025. Then he left.",
     ["Gen. Smith met U.S. officials on Sept. 27, 2025.", "Then he left."]),
    ("Am 27. September unterzeichnet. Danach.", ["Am 27. September unterzeichnet.", "Danach."]),
    ("The award went to Acme Inc. in May. It runs to 2027.",
     ["The award went to Acme Inc. in May.", "It runs to 2027."]),
    # the word before a full stop is read in its last whitespace-free run, however the
    # whitespace is written, and a word longer than that window still ends a sentence
    ("It was signed by the U.S.\tArmy. Next.", ["It was signed by the U.S.\tArmy.", "Next."]),
    ("See " + "x" * 80 + ". Then more.", ["See " + "x" * 80 + ".", "Then more."]),
    ("Costs rose 5 p. c. in March. Done.", ["Costs rose 5 p. c. in March.", "Done."]),
])
def test_sentence_ends_skip_abbreviations_and_initials(text, sentences):
    from tracker.events.text import split_sentences
    assert [text[a:b].strip() for a, b in split_sentences(text)] == sentences


@pytest.mark.parametrize("language,text,back", [
    ("en", "The ministry said yesterday it had signed the contract.", 1),
    ("fr", "Le ministère a annoncé hier la signature du contrat.", 1),
    ("fr", "Le contrat a été signé avant-hier.", 2),
    ("de", "Das Ministerium gab gestern den Vertrag bekannt.", 1),
    ("es", "El ministerio firmó ayer el contrato.", 1),
    ("pt-BR", "O ministério assinou ontem o contrato.", 1),
    ("tr", "Bakanlık sözleşmeyi dün imzaladı.", 1),
    ("ar", "وقعت الوزارة العقد أمس.", 1),
    ("ja", "防衛省は昨日、契約を締結した。", 1),
    ("ko", "국방부는 어제 계약을 체결했다.", 1),
    ("ms", "Kementerian menandatangani kontrak itu semalam.", 1),
    ("no", "Departementet signerte kontrakten i går.", 1),  # read by nb.yml
])
def test_yesterday_in_the_articles_language_goes_back_from_publication(language, text, back):
    from datetime import timedelta
    found = [d.value for d in find_dates(text, PUBLISHED, language)]
    assert found == [PUBLISHED - timedelta(days=back)]


@pytest.mark.parametrize("language,text", [
    ("de", "Das Ministerium ist hier, sagte der Sprecher."),  # 'hier' is 'here' in German
    (None, "Le ministère a annoncé hier la signature du contrat."),  # language unknown
    ("en", "The ministry said it would sign tomorrow."),
])
def test_a_day_word_counts_only_in_its_own_language(language, text):
    assert find_dates(text, PUBLISHED, language) == []
