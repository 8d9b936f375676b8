"""The cue lexicons as data (tracker/data/languages/*.yml): the six original languages still find
exactly what the hard-coded patterns found, a malformed file fails at import naming its entry,
and in each language a supply reported as fact is an event while a plan or talks is not."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.events import cues
from tracker.events.aliases import DATA_DIR, gazetteer
from tracker.events.derive import derive_events

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ("_common", "en", "fr", "de", "es", "ja", "ko")
# Patterns anchored at the text's start are asked about the text after a mention, and
# AGENCY_CONTEXT_BEFORE about the text before one: probe from, or up to, every word boundary.
ANCHORED_AT_START = {"AGENCY_CONTEXT_AFTER", "COUNTRY_QUALIFIER_AFTER", "DEMONYM_RECIPIENT",
                     "HOSTING_AFTER", "FURNITURE"}


def probes(name: str, text: str) -> list[str]:
    boundaries = sorted({0, *(m.start() for m in re.finditer(r"\b", text))})
    if name in ANCHORED_AT_START:
        return [text[i:] for i in boundaries]
    if name == "AGENCY_CONTEXT_BEFORE":
        return [text[:i] for i in boundaries]
    return [text]


def matches(patterns: dict[str, re.Pattern], text: str) -> dict[str, list[str]]:
    """What each cue matches, in order: the spans' texts, so that a different alternation order
    (a shorter or longer match, another count) shows."""
    found = {}
    for name, pattern in patterns.items():
        hits = [m.group() for probe in probes(name, text) for m in pattern.finditer(probe)]
        if hits:
            found[name] = hits
    return found


# What the hard-coded patterns of cues.py and derive.ANNOUNCE_CUE matched, before the words moved
# to data, on sentences written for each cue (recorded with those patterns).
FORMER_MATCHES = [
    (("The U.S. Army awarded Anthropic a $20 million contract to deploy Claude on classified "
      "networks."),
     {"contract": ["awarded", "$20 million", "contract"],
      "deployment": ["deploy"],
      "DEMONYM_RECIPIENT": [". Army", "Army"]}),
    (("GSA added ChatGPT Enterprise to its schedule after a FedRAMP High authorization and "
      "IL5 approval."),
     {"authorization": ["schedule", "FedRAMP", "authorization", "IL5", "approval"]}),
    (("The Air Force is piloting a generative AI chatbot in a proof-of-concept trial, testing"
      " it at two bases."),
     {"pilot": ["piloting", "proof-of-concept", "trial", "testing"],
      "AI_CUE": ["generative", "AI", "chatbot"],
      "DEMONYM_RECIPIENT": [" Air Force", "Air Force"]}),
    (("Meta makes Llama available to U.S. government agencies and allies, granting access "
      "free of charge."),
     {"access": ["makes Llama available", "granting", "free of charge"],
      "GOVERNMENT_WORDS": ["government", "agencies"],
      "COUNTRY_QUALIFIER_AFTER": [" and allies", "and allies", " allies", "allies"],
      "DEMONYM_RECIPIENT": [". government", "government", " agencies", "agencies"]}),
    (("Microsoft partnered with the ministry under a memorandum of understanding; the MoU "
      "covers cooperation on AI."),
     {"partnership": ["partnered", "memorandum of understanding", "MoU", "cooperat"],
      "AI_CUE": ["AI"],
      "CLAUSE_SPLIT": ["; "],
      "GOVERNMENT_WORDS": ["ministry"],
      "PARTNER_CUES": ["partner"],
      "DEMONYM_RECIPIENT": [" ministry", "ministry"]}),
    ("The Pentagon is in talks with xAI and plans to test Grok, which would be used if approved.",
     {"authorization": ["approved"],
      "AI_CUE": ["AI"],
      "CLAUSE_SPLIT": [", which "],
      "NOT_A_SUPPLY": ["in talks", "plans to", "would", "if"]}),
    (("Researchers linked to a rival military fine-tuned Llama without authorization, "
      "violating its license."),
     {"authorization": ["authorization"],
      "NOT_A_SUPPLY": ["rival", "without authorization", "violat"],
      "COUNTRY_CONTEXT": ["rival"],
      "GOVERNMENT_WORDS": ["military"],
      "COUNTRY_QUALIFIER_AFTER": [" a rival", "a rival", " rival", "rival"],
      "DEMONYM_RECIPIENT": [" military", "military"]}),
    (("Mistral AI raised 1.5 billion euros in a funding round led by investors, at a "
      "valuation of 12 billion."),
     {"AI_CUE": ["AI"],
      "NOT_A_SUPPLY": ["raised 1.5 billion euros in a funding round", "investors", "valuation"]}),
    (("This follows GSA's decision last year, when the agency had been awarded a similar deal"
      " in March 2024."),
     {"contract": ["awarded", "deal"],
      "GOVERNMENT_WORDS": ["agency"],
      "BACKGROUND": ["follows", "last year", "had been awarded", "in March 2024"]}),
    ("Also read: Army awards Anthropic a contract",
     {"contract": ["awards", "contract"],
      "DEMONYM_RECIPIENT": [": Army", "Army"],
      "FURNITURE": ["Also read"]}),
    ("(Photo: Reuters) The Navy uses AI tools developed by Palantir — but the Marines do not.",
     {"deployment": ["uses AI tools developed by"],
      "AI_CUE": ["AI"],
      "CLAUSE_SPLIT": [" — "],
      "DEMONYM_RECIPIENT": [" Navy", "Navy"],
      "FURNITURE": ["(Photo", "Photo"]}),
    (("AWS and Microsoft host the models and provide the infrastructure through GovCloud, "
      "working with Carahsoft as a reseller."),
     {"access": ["provide"],
      "AI_CUE": ["models"],
      "PARTNER_CUES": ["host", "infrastructure", "through", "working with", "resell"],
      "CLOUD_NAME": ["AWS", "GovCloud"],
      "HOSTING_AFTER": ["AWS and Microsoft host", " and Microsoft host", "and Microsoft host",
                        " Microsoft host", "Microsoft host", " host", "host",
                        " the models and provide the infrastructure",
                        "the models and provide the infrastructure",
                        " models and provide the infrastructure",
                        "models and provide the infrastructure", " and provide the infrastructure",
                        "and provide the infrastructure", " provide the infrastructure",
                        "provide the infrastructure", " the infrastructure", "the infrastructure",
                        " infrastructure", "infrastructure",
                        " GovCloud, working with Carahsoft as a reseller",
                        "GovCloud, working with Carahsoft as a reseller",
                        ", working with Carahsoft as a reseller",
                        "working with Carahsoft as a reseller", " with Carahsoft as a reseller",
                        "with Carahsoft as a reseller", " Carahsoft as a reseller",
                        "Carahsoft as a reseller", " as a reseller", "as a reseller",
                        " a reseller", "a reseller", " reseller", "reseller"]}),
    ("The German armed forces, unlike French-based startups such as Helsing, signed the agreement.",
     {"contract": ["signed"],
      "partnership": ["agreement"],
      "COUNTRY_CONTEXT": ["unlike", "based", "such as"],
      "GOVERNMENT_WORDS": ["armed forces"],
      "PARTNER_CUES": ["such as"],
      "COUNTRY_QUALIFIER_AFTER": [" French-based startups", "French-based startups",
                                  "-based startups", "based startups", " startups", "startups"],
      "DEMONYM_RECIPIENT": [" armed forces", "armed forces", " forces", "forces"]}),
    ("A major Pentagon contractor's chief said the former Army CIO announced the rollout.",
     {"deployment": ["rollout"],
      "AGENCY_CONTEXT_AFTER": [" contractor", "contractor", "'s chief", " chief", "chief", " CIO",
                               "CIO"],
      "AGENCY_CONTEXT_BEFORE": ["former", "former "],
      "PARTNER_CUES": ["contractor"],
      "DEMONYM_RECIPIENT": [" Army", "Army"],
      "ANNOUNCE_CUE": ["said", "announc"]}),
    (("Anthropic unveiled Claude Gov for national security agencies, whereas OpenAI revealed "
      "its own offering."),
     {"access": ["offering"],
      "AI_CUE": ["AI"],
      "CLAUSE_SPLIT": ["whereas"],
      "GOVERNMENT_WORDS": ["national security agencies"],
      "DEMONYM_RECIPIENT": [" agencies", "agencies"],
      "ANNOUNCE_CUE": ["unveil", "revealed"]}),
    (("The Department of Defense, while the budget rose, opened its models to the public "
      "sector for $1 per agency."),
     {"access": ["opened its models to", "for $1 per agency"],
      "AI_CUE": ["models"],
      "CLAUSE_SPLIT": [", while "],
      "NOT_A_SUPPLY": ["budget"],
      "AGENCY_CONTEXT_AFTER": [" budget", "budget"],
      "GOVERNMENT_WORDS": ["Department", "public sector", "agency"],
      "DEMONYM_RECIPIENT": [" Defense", "Defense", " public sector", "public sector"]}),
    (("Since 2009 the company has won billions in U.S. military contracts, historically from "
      "the Navy."),
     {"contract": ["contracts"],
      "NOT_A_SUPPLY": ["Since 2009 the company has won billions in U.S. military contracts"],
      "COUNTRY_CONTEXT": ["company"],
      "GOVERNMENT_WORDS": ["military"],
      "COUNTRY_QUALIFIER_AFTER": [" the company", "the company", " company", "company"],
      "DEMONYM_RECIPIENT": [". military", "military", " Navy", "Navy"],
      "BACKGROUND": ["historically"]}),
    (("Le ministère des Armées a signé un contrat avec Mistral AI pour déployer son "
      "intelligence artificielle."),
     {"contract": ["signé un contrat"],
      "deployment": ["déploy"],
      "AI_CUE": ["AI", "intelligence artificielle"],
      "GOVERNMENT_WORDS": ["ministère", "Armées"],
      "DEMONYM_RECIPIENT": [" ministère", "ministère", " Armées", "Armées"]}),
    ("L'armée a attribué un accord-cadre à la pépite française, qui utilise déjà l'IA.",
     {"contract": ["attribué", "accord-cadre"],
      "deployment": ["utilise"],
      "partnership": ["accord"],
      "AI_CUE": ["IA"],
      "CLAUSE_SPLIT": [", qui "],
      "COUNTRY_CONTEXT": ["pépite"],
      "GOVERNMENT_WORDS": ["armée"],
      "DEMONYM_RECIPIENT": ["'armée", "armée"]}),
    ("Le gouvernement prévoit d'expérimenter l'IA, mais pourrait négocier avec OpenAI.",
     {"pilot": ["expériment"],
      "AI_CUE": ["IA", "AI"],
      "CLAUSE_SPLIT": [", mais "],
      "NOT_A_SUPPLY": ["prévoit", "pourrait", "négoci"],
      "GOVERNMENT_WORDS": ["gouvernement"],
      "DEMONYM_RECIPIENT": [" gouvernement", "gouvernement"]}),
    ("Comme aux États-Unis, où OpenAI fournit l'accès à ChatGPT, la France a homologué l'outil.",
     {"authorization": ["homologu"],
      "access": ["fourni", "accès"],
      "AI_CUE": ["AI"],
      "NOT_A_SUPPLY": ["Comme aux", ", où"],
      "COUNTRY_CONTEXT": ["Comme", "où"]}),
    ("Mistral AI a levé 600 millions lors d'un tour de table auprès d'investisseurs.",
     {"AI_CUE": ["AI"],
      "NOT_A_SUPPLY": ["tour de table", "investisseurs"]}),
    ("À lire aussi : le partenariat entre Thales et Mistral AI",
     {"partnership": ["partenariat"],
      "AI_CUE": ["AI"],
      "FURNITURE": ["À lire aussi", " lire aussi", "lire aussi"]}),
    (("L'Élysée a annoncé un accord avec Mistral AI et dévoilé son plan, depuis longtemps "
      "officialisé."),
     {"partnership": ["accord"],
      "AI_CUE": ["AI"],
      "BACKGROUND": ["depuis"],
      "ANNOUNCE_CUE": ["annonc", "dévoil", "officialis"]}),
    (("Die Bundeswehr hat mit Helsing einen Rahmenvertrag unterzeichnet und setzt die KI "
      "bereits ein."),
     {"contract": ["Rahmenvertrag", "unterzeichne"],
      "deployment": ["setzt die KI bereits ein"],
      "AI_CUE": ["KI"],
      "GOVERNMENT_WORDS": ["Bundeswehr"],
      "BACKGROUND": ["bereits"]}),
    ("Das Ministerium hat Aleph Alpha zugelassen, aber die Zulassung ist noch nicht erprobt.",
     {"authorization": ["zugelassen", "Zulassung"],
      "pilot": ["erprob"],
      "CLAUSE_SPLIT": [", aber "],
      "GOVERNMENT_WORDS": ["Ministerium"]}),
    (("Die Regierung plant eine Kooperation und verhandelt mit OpenAI, die Behörde prüft "
      "Künstliche Intelligenz."),
     {"partnership": ["Kooperation"],
      "AI_CUE": ["AI", "Künstliche Intelligenz"],
      "CLAUSE_SPLIT": [", die "],
      "NOT_A_SUPPLY": ["plant", "verhandel", "prüft"],
      "GOVERNMENT_WORDS": ["Regierung", "Behörde"],
      "DEMONYM_RECIPIENT": [" Regierung", "Regierung"]}),
    ("Mehr zum Thema: Bundeswehr rollt KI-Assistenten aus",
     {"deployment": ["rollt KI-Assistenten aus"],
      "AI_CUE": ["KI"],
      "GOVERNMENT_WORDS": ["Bundeswehr"],
      "FURNITURE": ["Mehr zum Thema"]}),
    (("Wie in den USA wird Google Gemini eingeführt, teilte das Unternehmen mit; der Zugang "
      "wurde bereitgestellt."),
     {"deployment": ["eingeführt"],
      "access": ["Zugang", "bereitgestellt"],
      "CLAUSE_SPLIT": ["; "],
      "NOT_A_SUPPLY": ["Wie in den"],
      "COUNTRY_CONTEXT": ["Wie", "Unternehmen"]}),
    (("Die deutschen Streitkräfte nutzt die Plattform zuvor als Pilotprojekt, das Auftrag "
      "bekannt gab."),
     {"contract": ["Auftrag"],
      "pilot": ["Pilotprojekt"],
      "deployment": ["nutzt"],
      "GOVERNMENT_WORDS": ["Streitkräfte"],
      "DEMONYM_RECIPIENT": [" Streitkräfte", "Streitkräfte"],
      "BACKGROUND": ["zuvor"],
      "ANNOUNCE_CUE": ["bekannt"]}),
    (("El Ministerio de Defensa firmó un contrato con Microsoft para desplegar inteligencia "
      "artificial, pero no lo utiliza aún."),
     {"contract": ["firmó", "contrat"],
      "deployment": ["despleg", "utiliza"],
      "AI_CUE": ["inteligencia artificial"],
      "CLAUSE_SPLIT": [", pero "],
      "GOVERNMENT_WORDS": ["Ministerio"]}),
    ("El gobierno adjudicó una licitación y aprobó un acuerdo de colaboración con Google.",
     {"contract": ["adjudic", "licitaci"],
      "authorization": ["aprob"],
      "partnership": ["acuerdo", "colaboraci"],
      "GOVERNMENT_WORDS": ["gobierno"],
      "DEMONYM_RECIPIENT": [" gobierno", "gobierno"]}),
    ("Las fuerzas armadas planea una prueba piloto, al igual que el ejército, que podría negociar.",
     {"pilot": ["prueba", "piloto"],
      "CLAUSE_SPLIT": [", que "],
      "NOT_A_SUPPLY": ["planea", "al igual que", "podría", "negocia"],
      "GOVERNMENT_WORDS": ["fuerzas armadas"],
      "DEMONYM_RECIPIENT": [" ejército", "ejército"]}),
    (("Anteriormente, la empresa anunció un convenio de acceso como socio del gobierno "
      "estadounidense."),
     {"access": ["acceso"],
      "partnership": ["convenio"],
      "COUNTRY_CONTEXT": ["empresa", "como"],
      "GOVERNMENT_WORDS": ["gobierno"],
      "PARTNER_CUES": ["socio"],
      "DEMONYM_RECIPIENT": [" gobierno", "gobierno"],
      "BACKGROUND": ["Anteriormente"],
      "ANNOUNCE_CUE": ["anunci"]}),
    ("防衛省はOpenAIと契約を締結し、生成AIを導入したと発表した。",
     {"contract": ["契約"],
      "deployment": ["導入"],
      "AI_CUE": ["AI", "生成AI"],
      "GOVERNMENT_WORDS": ["省"],
      "ANNOUNCE_CUE": ["発表"]}),
    ("デジタル庁は実証実験で人工知能を試行するが、本格運用は検討中だ。",
     {"pilot": ["実証", "試行"],
      "deployment": ["運用"],
      "AI_CUE": ["人工知能"],
      "CLAUSE_SPLIT": ["が、"],
      "NOT_A_SUPPLY": ["検討"],
      "GOVERNMENT_WORDS": ["庁"]}),
    ("関連記事：自衛隊がGoogleと連携協定",
     {"partnership": ["連携", "協定"],
      "GOVERNMENT_WORDS": ["自衛隊"],
      "FURNITURE": ["関連記事"]}),
    ("政府は従来からMicrosoftのＡＩを活用し、提供を承認する予定。",
     {"authorization": ["承認"],
      "deployment": ["活用"],
      "access": ["提供"],
      "AI_CUE": ["ＡＩ"],
      "NOT_A_SUPPLY": ["予定"],
      "GOVERNMENT_WORDS": ["政府"],
      "BACKGROUND": ["従来"]}),
    ("국방부는 네이버와 계약을 체결하고 생성형 인공지능을 도입했다고 밝혔다.",
     {"contract": ["계약", "체결"],
      "deployment": ["도입"],
      "AI_CUE": ["생성형", "인공지능"],
      "GOVERNMENT_WORDS": ["국방"],
      "ANNOUNCE_CUE": ["밝혔"]}),
    ("정부는 시범 사업을 검토하지만 협약은 기존 계획이다.",
     {"pilot": ["시범"],
      "partnership": ["협약"],
      "CLAUSE_SPLIT": ["지만 "],
      "NOT_A_SUPPLY": ["검토", "계획"],
      "GOVERNMENT_WORDS": ["정부"],
      "BACKGROUND": ["기존"]}),
    ("관련기사 행정안전부 파트너십 승인",
     {"authorization": ["승인"],
      "partnership": ["파트너십"],
      "GOVERNMENT_WORDS": ["행정"],
      "PARTNER_CUES": ["파트너"],
      "FURNITURE": ["관련기사"]}),
    ("Microsoft의 AI 모델을 제공하고 적용했으나 공급은 이전과 같다.",
     {"deployment": ["적용"],
      "access": ["제공", "공급"],
      "AI_CUE": ["AI"],
      "CLAUSE_SPLIT": ["으나 "],
      "BACKGROUND": ["이전"]}),
    # dense: as many cue words as a sentence can carry
    (("The agency selected and tapped the firm, procured and purchased licenses, bought a "
      "task order under an enterprise agreement and an enterprise license, and hired staff."),
     {"contract": ["selected", "tapped", "procured", "purchased", "bought", "task order",
                   "enterprise agreement", "enterprise license", "hired"],
      "partnership": ["agreement"],
      "COUNTRY_CONTEXT": ["firm"],
      "GOVERNMENT_WORDS": ["agency"],
      "COUNTRY_QUALIFIER_AFTER": [" the firm", "the firm", " firm", "firm"]}),
    (("Cleared after accreditation, the approved AI tools launched, rolled out and went live;"
      " they are in use, integrated and implemented after trialled, trialed and prototype "
      "experiments."),
     {"authorization": ["Cleared", "accreditation", "approved"],
      "pilot": ["trialled", "trialed", "prototyp", "experiment"],
      "deployment": ["launched", "rolled out", "in use", "integrated", "implemented"],
      "AI_CUE": ["AI"],
      "CLAUSE_SPLIT": ["; "],
      "PARTNER_CUES": ["integrat"],
      "HOSTING_AFTER": ["they are in use, integrated", " are in use, integrated",
                        "are in use, integrated", " in use, integrated", "in use, integrated",
                        " use, integrated", "use, integrated", ", integrated", "integrated"]}),
    (("It allows and permits access to LLMs and large language models, extends the offer to "
      "agencies, supplies machine learning and GenAI to Copilot users, with an exception for "
      "A.I. research available for Impact Level work on Azure, Amazon Web Services and OCI."),
     {"authorization": ["Impact Level"],
      "access": ["allows", "permits", "access to", "extends the offer to", "supplies",
                 "exception for", "available for"],
      "AI_CUE": ["LLMs", "large language models", "machine learning", "GenAI", "A.I."],
      "GOVERNMENT_WORDS": ["agencies"],
      "DEMONYM_RECIPIENT": [" agencies", "agencies"],
      "CLOUD_NAME": ["Azure", "Web Services", "OCI"]}),
    (("The Army, who may ban unauthorized use and might prohibit it, should consider proposed"
      " rules, hopes to comply with the AI Act, an executive order and its obligations, as in"
      " Europe, like in Japan, where regulators negotiate."),
     {"AI_CUE": ["AI"],
      "CLAUSE_SPLIT": [", who "],
      "NOT_A_SUPPLY": ["may", "ban", "unauthorized", "might", "prohibit", "should", "proposed",
                       "hopes to", "comply", "AI Act", "executive order", "obligations", "as in",
                       "like in", "regulat", "negotiate"],  # ', where' no longer vetoes
      "COUNTRY_CONTEXT": ["as in", "like", "where"],
      "DEMONYM_RECIPIENT": [" Army", "Army"]}),
    (("Earnings and quarterly revenue rose and shares jumped after a refund, competition from"
      " adversaries and allocations; the firm wants to, seeks to and aims to expand access, "
      "seeking what it ought to, as expected to, with potential."),
     {"access": ["expand access"],
      "CLAUSE_SPLIT": ["; "],
      "NOT_A_SUPPLY": ["Earnings", "quarterly", "revenue", "shares jumped", "refund",
                       "competition", "adversar", "allocat", "wants to", "seeks to", "aims to",
                       "seeking", "ought to", "expected to", "potential"],
      "COUNTRY_CONTEXT": ["compet", "adversar", "firm"],
      "COUNTRY_QUALIFIER_AFTER": [" from adversaries", "from adversaries", " adversaries",
                                  "adversaries", "; the firm", "the firm", " firm", "firm"]}),
    (("Le marché public est autorisé après expérimentation et phase de test : le déploiement "
      "s'intègre, l'intégration mis à disposition, devrait, à l'instar de la société, "
      "envisager une valorisation, une levée de fonds, a levé 2 milliards avec ses "
      "partenaires. Crédit photo."),
     {"contract": ["marché public"],
      "authorization": ["autorisé"],
      "pilot": ["expérimentation", "phase de test"],
      "deployment": ["déploi", "intègre", "intégr"],
      "access": ["mis à disposition"],
      "NOT_A_SUPPLY": ["devrait", "à l'instar", "envisag", "valoris", "levée de fonds",
                       "levé 2 milliards"],
      "COUNTRY_CONTEXT": ["société"],
      "PARTNER_CUES": ["partenaires"],
      "FURNITURE": [". Crédit", "Crédit", " photo", "photo"]}),
    (("Der Vertrag ist vergeben, die Beschaffung genehmigt, nach Erprobung in der Testphase "
      "getestet, eingesetzt, um sie einzusetzen; der Einsatz führt sie ein und sie wird "
      "ausgerollt, dank Partnerschaft, Vereinbarung und Zusammenarbeit, der sollte geplant, "
      "erwägt, könnte. Lesen Sie auch: Foto, Bild, mitgeteilt."),
     {"contract": ["Vertrag", "vergeben", "Beschaff"],
      "authorization": ["genehmigt"],
      "pilot": ["Erprobung", "Testphase", "getestet"],
      "deployment": ["eingesetzt", "Einsatz", "führt sie ein"],
      "partnership": ["Partnerschaft", "Vereinbarung", "Zusammenarbeit"],
      "CLAUSE_SPLIT": [", die ", "; ", ", der "],
      "NOT_A_SUPPLY": ["sollte", "geplant", "erwägt", "könnte"],
      "PARTNER_CUES": ["Partner"],
      "FURNITURE": [". Lesen Sie auch", "Lesen Sie auch", ": Foto", "Foto", ", Bild", "Bild"],
      "ANNOUNCE_CUE": ["mitgeteilt"]}),
    (("El ministerio autorizó implementar una alianza pero debería, prevé, estudia y "
      "considera. Leer más. Lea también."),
     {"authorization": ["autoriz"],
      "deployment": ["implement"],
      "partnership": ["alianza"],
      "NOT_A_SUPPLY": ["debería", "prevé", "estudia", "considera"],
      "GOVERNMENT_WORDS": ["ministerio"],
      "FURNITURE": [". Leer más", "Leer más", ". Lea también", "Lea también"]}),
    ("受注・落札・調達・認可・試験導入・利用・追加・採択・採用・利用可能・提携・協力・合意・協業・生成ＡＩのほか、これまで以前から公表され明らかにパートナーけど、",
     {"contract": ["受注", "落札", "調達"],
      "authorization": ["認可"],
      "pilot": ["試験導入"],
      "deployment": ["導入", "利用", "追加", "採択", "採用", "利用"],
      "access": ["利用可能"],
      "partnership": ["提携", "協力", "合意", "協業"],
      "AI_CUE": ["生成ＡＩ"],
      "CLAUSE_SPLIT": ["ほか、", "けど、"],
      "PARTNER_CUES": ["パートナー"],
      "BACKGROUND": ["これまで", "以前"],
      "ANNOUNCE_CUE": ["公表", "明らかに"]}),
    ("수주, 낙찰, 조달, 인증, 실증, 활용, 배치, 협력, 제휴, 업무협약, 군이 발표했다.",
     {"contract": ["수주", "낙찰", "조달"],
      "authorization": ["인증"],
      "pilot": ["실증"],
      "deployment": ["활용", "배치"],
      "partnership": ["협력", "제휴", "업무협약"],
      "GOVERNMENT_WORDS": ["군"],
      "ANNOUNCE_CUE": ["발표"]}),
    (("Previously and earlier, already in 2019, the Pentagon had originally followed a prior "
      "precursor pillar, spending billions while its stock rose; critics and controversy "
      "followed the framework agreement it signs each year, following the last agreement."),
     {"contract": ["framework agreement", "signs each year, following the last agreement"],
      "partnership": ["agreement", "agreement"],
      "CLAUSE_SPLIT": ["; "],
      "NOT_A_SUPPLY": ["spending", "stock rose", "controvers"],
      "BACKGROUND": ["Previously", "earlier", "already", "in 2019", "originally", "prior",
                     "precursor", "pillar", "following"]}),
    (("A start-up headquartered outside Paris, beyond the summit and the meeting where the "
      "Prime Minister met with a maker facing threats similar to its rivals, compared with "
      "tech giants, allied competitors and startups, US-made and Paris-headquartered."),
     {"NOT_A_SUPPLY": ["rivals", "competitors"],
      "COUNTRY_CONTEXT": ["start-up", "headquartered", "outside", "beyond", "summit", "meeting",
                          "where", "Prime Minister", "met with", "maker", "threats", "similar to",
                          "rivals", "compared", "compet", "headquartered"],
      "PARTNER_CUES": ["Prime"],
      "COUNTRY_QUALIFIER_AFTER": [" its rivals", "its rivals", " rivals", "rivals",
                                  " with tech giants", "with tech giants", " tech giants",
                                  "tech giants", " giants", "giants", ", allied competitors",
                                  "allied competitors", " competitors", "competitors",
                                  " and startups", "and startups", " startups", "startups",
                                  "-made", "-headquartered"]}),
    (("Via Google Cloud, available on AWS, including subcontract providers, companies like "
      "integrators and firms like Carahsoft teamed with the prime to team up and collaborate;"
      " the agency buys, taps, acquires and adopts artificial intelligence, which goes live "
      "with copilot, as it considers federal agencies and in Pentagon contracts it could win."),
     {"contract": ["buys", "taps", "contracts"],
      "deployment": ["adopts", "goes live"],
      "partnership": ["team up", "collaborat"],
      "AI_CUE": ["artificial intelligence", "copilot"],
      "CLAUSE_SPLIT": ["; ", ", which "],
      "NOT_A_SUPPLY": ["considers", "in Pentagon contracts", "could"],
      "COUNTRY_CONTEXT": ["like", "like"],
      "GOVERNMENT_WORDS": ["agency", "federal agencies"],
      "PARTNER_CUES": ["Via", "Cloud", "available on", "including", "subcontract", "providers",
                       "companies like", "integrat", "firms like", "teamed with", "prime",
                       "collaborat"],
      "COUNTRY_QUALIFIER_AFTER": [", companies", "companies", " and firms", "and firms", " firms",
                                  "firms"],
      "DEMONYM_RECIPIENT": [" federal agencies", "federal agencies", " agencies", "agencies"],
      "CLOUD_NAME": ["Cloud", "AWS"],
      "HOSTING_AFTER": [" subcontract providers, companies like integrators",
                        "subcontract providers, companies like integrators",
                        " providers, companies like integrators",
                        "providers, companies like integrators", ", companies like integrators",
                        "companies like integrators", " like integrators", "like integrators",
                        " integrators", "integrators"]}),
    ("Die Behörde will KI einsetzen und ausrollen.",
     {"deployment": ["einsetz", "ausroll"],
      "AI_CUE": ["KI"],
      "GOVERNMENT_WORDS": ["Behörde"]}),
    (("Anthropic acquired a startup after a visit, but its model is available to the Army; "
      "OpenAI opens up its AI, criticised for millions in fees and a funding round."),
     {"contract": ["acquired"],
      "access": ["available to", "opens up its AI"],
      "AI_CUE": ["model", "AI", "AI"],
      "CLAUSE_SPLIT": [", but ", "; "],
      "NOT_A_SUPPLY": ["criticis", "millions in", "funding round"],
      "COUNTRY_CONTEXT": ["startup", "visit"],
      "COUNTRY_QUALIFIER_AFTER": [" a startup", "a startup", " startup", "startup"],
      "DEMONYM_RECIPIENT": [" Army", "Army"]}),
    (("Its partner is US-based, EU-made and Paris-headquartered, allied with partners on "
      "geopolitics, strategy, interests, leadership, values, dominance and supremacy."),
     {"partnership": ["partner", "partners"],
      "COUNTRY_CONTEXT": ["based", "headquartered"],
      "PARTNER_CUES": ["partner", "partner"],
      "COUNTRY_QUALIFIER_AFTER": ["-based", "-made", "-headquartered", ", allied", "allied",
                                  " with partners", "with partners", " partners", "partners",
                                  " on geopolitics", "on geopolitics", " geopolitics",
                                  "geopolitics", ", strategy", "strategy", ", interests",
                                  "interests", ", leadership", "leadership", ", values", "values",
                                  ", dominance", "dominance", " and supremacy", "and supremacy",
                                  " supremacy", "supremacy"]}),
    (("The Pentagon's suppliers, vendors and officials, a spokesman, the secretary, a leader "
      "and the CTO met an ex-Army officer who left, leaving or quit."),
     {"AGENCY_CONTEXT_AFTER": ["'s suppliers", " suppliers", "suppliers", ", vendors", "vendors",
                               " officials", "officials", " spokesman", "spokesman", " secretary",
                               "secretary", " leader", "leader", " CTO", "CTO"],
      "AGENCY_CONTEXT_BEFORE": ["ex-", "left", "leaving", "leaving ", "quit"],
      "DEMONYM_RECIPIENT": [" officials", "officials", "-Army", "Army"]}),
    (("The national government, central agencies, state ministries, officials, troops and "
      "administration: AWS provides the platform. Read more, read also, related stories, see "
      "also, recommended, more on this; image credit (Image: AP) (Credit: AFP). La convention"
      " signée."),
     {"contract": ["signé"],
      "access": ["provides"],
      "CLAUSE_SPLIT": ["; "],
      "AGENCY_CONTEXT_AFTER": [", officials", "officials"],
      "GOVERNMENT_WORDS": ["government", "agencies", "ministries"],
      "DEMONYM_RECIPIENT": [" national government", "national government", " government",
                            "government", ", central agencies", "central agencies", " agencies",
                            "agencies", ", state ministries", "state ministries", " ministries",
                            "ministries", ", officials", "officials", ", troops", "troops",
                            " administration", "administration"],
      "FURNITURE": ["(Image", "(Credit", "(Image", "(Credit", "(Image", "(Credit", "(Image",
                    "(Credit", "(Image", "(Credit", "(Image", "(Credit", "(Image", "(Credit",
                    "(Image", "(Credit", "(Image", "(Credit", "(Image", "(Credit", "(Image",
                    "(Credit", "(Image", "(Credit", "(Image", "(Credit", "(Image", "(Credit",
                    "(Image", "(Credit", "(Image", "(Credit", "(Image", "(Credit", "(Image",
                    "(Credit", "(Image", "(Credit", "(Image", "(Credit", "(Image", "(Credit",
                    "(Image", "(Credit", "(Image", "(Credit", "(Image", "(Credit", "(Image",
                    "(Credit", "(Image", "(Credit", "(Image", "(Credit", "(Image", "(Credit",
                    "(Image", "(Credit", ". Read more", "(Image", "(Credit", "Read more", "(Image",
                    "(Credit", "(Image", "(Credit", "(Image", "(Credit", ", read also", "(Image",
                    "(Credit", "read also", "(Image", "(Credit", "(Image", "(Credit", "(Image",
                    "(Credit", ", related stories", "(Image", "(Credit", "related stories",
                    "(Image", "(Credit", "(Image", "(Credit", "(Image", "(Credit", ", see also",
                    "(Image", "(Credit", "see also", "(Image", "(Credit", "(Image", "(Credit",
                    "(Image", "(Credit", ", recommended", "(Image", "(Credit", "recommended",
                    "(Image", "(Credit", ", more on this", "(Image", "(Credit", "more on this",
                    "(Image", "(Credit", "(Image", "(Credit", "(Image", "(Credit", "(Image",
                    "(Credit", "(Image", "(Credit", "; image", "(Image", "(Credit", "image",
                    "(Image", "(Credit", " credit", "(Image", "(Credit", "credit", "(Image",
                    "(Credit", " (Image", "(Credit", "Image", "(Credit", "(Credit", "(Credit",
                    ") (Credit", "Credit"],
      "CLOUD_NAME": ["AWS"],
      "HOSTING_AFTER": [", troops and administration: AWS provides the platform",
                        "troops and administration: AWS provides the platform",
                        " and administration: AWS provides the platform",
                        "and administration: AWS provides the platform",
                        " administration: AWS provides the platform",
                        "administration: AWS provides the platform", ": AWS provides the platform",
                        "AWS provides the platform", " provides the platform",
                        "provides the platform"]}),
]


# Cues that did not exist as hard-coded patterns (tests/test_event_types.py covers them).
CUES_ADDED_SINCE = {"LISTING_CUE", "MEMORANDUM_CUE", "ANY_TYPE", "PILOT_STATED", "STAFF_USE",
                    *(key.upper() for key in cues.DEAL_KEYS)}  # deal facts: tests/test_deal.py


@pytest.fixture(scope="module", params=["original languages", "all languages"])
def compiled(request):
    """The six original files alone must behave as before; all files together add nothing on
    these sentences (a new language's words must not fire in another language)."""
    languages = cues.LANGUAGES
    if request.param == "original languages":
        languages = {code: table for code, table in languages.items() if code in ORIGINAL}
    return {name: pattern for name, pattern in cues.compile_cues(languages).items()
            if name not in CUES_ADDED_SINCE}


@pytest.mark.parametrize("text,expected", FORMER_MATCHES)
def test_cues_match_what_the_hardcoded_patterns_matched(compiled, text, expected):
    assert matches(compiled, text) == expected


def test_module_names_are_the_merged_cues():
    merged = cues.compile_cues(cues.LANGUAGES)
    assert {t: merged[t] for t in cues.TYPES} == cues.TYPE_CUES
    assert merged["NOT_A_SUPPLY"] == cues.NOT_A_SUPPLY
    assert merged["ANNOUNCE_CUE"] == cues.ANNOUNCE_CUE
    assert cues.LANGUAGE_HOME["pt"] == "PRT" and cues.LANGUAGE_HOME["tr"] == "TUR"
    assert [cues.LANGUAGE_HOME[c] for c in ("cs", "ro", "he", "sw")] == ["CZE", "ROU", "ISR", "TZA"]
    assert "zh" not in cues.LANGUAGE_HOME and "ar" not in cues.LANGUAGE_HOME
    assert {"aise", "sche", "ense", "ский"} <= set(cues.DEMONYM_ENDINGS)


# ------------------------------------------------------------------ malformed files
@pytest.mark.parametrize("content,message", [
    ("contract: '\\bcontrat'\n", r"xx\.yml: contract must be a list"),
    ("contract: ['\\bcontrat(']\n", r"xx\.yml: contract\[0\] '\\\\bcontrat\(' does not compile"),
    ("pilot: ['\\bteste', 7]\n", r"xx\.yml: pilot\[1\] 7: not a non-empty string"),
    ("contracts: ['\\bcontrat']\n", r"xx\.yml: unknown key 'contracts'"),
    ("home_country: XYZ\n", r"xx\.yml: home_country 'XYZ' \(xx\) is not an ISO 3166-1 alpha-3"),
    ("home_country: [FRA]\n", r"xx\.yml: home_country must be a str"),
    ("home_markers: {BRZ: [reais]}\n", r"xx\.yml: home_markers 'BRZ' \(xx\) is not an ISO"),
    ("home_markers: {BRA: reais}\n", r"xx\.yml: home_markers must be a list"),
    ("order: [xx]\n", r"xx\.yml: key 'order' belongs only in _common\.yml"),
    ("language_alias: {'no': xx}\n", r"xx\.yml: key 'language_alias' belongs only in _common"),
    ("contract: [\n", r"xx\.yml: not valid YAML"),
    ("- contract\n", r"xx\.yml: expected a mapping"),
    ("months: {marzec: 13}\n",
     r"xx\.yml: months 'marzec': 13 \(lower-case words, numbers in 1-12\)"),
    ("weekdays: {Montag: 0}\n", r"xx\.yml: weekdays 'Montag': 0 \(lower-case words"),
])
def test_a_malformed_file_fails_naming_the_file_and_the_entry(tmp_path, content, message):
    (tmp_path / "_common.yml").write_text("order: [xx]\n", encoding="utf-8")
    (tmp_path / "xx.yml").write_text(content, encoding="utf-8")
    with pytest.raises(cues.LanguageFileError, match=message):
        cues.load_languages(tmp_path)


def test_a_date_word_two_languages_read_differently_is_an_error():
    languages = {"xx": {"months": {"mars": 3}}, "yy": {"months": {"mars": 4}}}
    with pytest.raises(cues.LanguageFileError, match=r"yy\.yml: months 'mars' is 3 elsewhere"):
        cues.date_words(languages, "months")


def test_an_unquoted_language_code_read_as_a_boolean_is_an_error(tmp_path):
    (tmp_path / "_common.yml").write_text("language_home: {no: NOR}\n")
    with pytest.raises(cues.LanguageFileError, match=r"_common\.yml: language_home: False is not"):
        cues.load_languages(tmp_path)


def test_a_common_only_key_in_common_is_accepted(tmp_path):
    (tmp_path / "_common.yml").write_text("order: [xx]\nlanguage_home: {xx: FRA}\n")
    (tmp_path / "xx.yml").write_text("contract: ['\\bkontrat']\n")
    languages = cues.load_languages(tmp_path)
    assert list(languages) == ["_common", "xx"]
    assert cues.language_home(languages) == {"xx": "FRA"}


def test_no_language_files_is_an_error(tmp_path):
    with pytest.raises(cues.LanguageFileError, match="no language files"):
        cues.load_languages(tmp_path)


def test_the_files_are_read_from_tracker_data_dir_at_import(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "languages" / "pt.yml").write_text("contract: ['\\bcontrat(o']\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", "import tracker.events.cues"], cwd=ROOT,
                            env=dict(os.environ, TRACKER_DATA_DIR=str(data)),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert "LanguageFileError" in result.stderr
    assert f"{data / 'languages' / 'pt.yml'}: contract[0]" in result.stderr


# ------------------------------------------------------------------ country names
@pytest.mark.parametrize("text,code", [
    ("Вьетнам подписал контракт", "VNM"), ("Chính phủ Việt Nam", "VNM"),
    ("o governo do Brasil", "BRA"), ("المملكة العربية السعودية", "SAU"), ("新加坡政府", "SGP"),
    ("Kazakhstan", "KAZ"), ("Казахстан", "KAZ"), ("Pemerintah Singapura", "SGP"),
    ("Stany Zjednoczone", "USA"), ("Le Royaume-Uni", "GBR"), ("η Ελλάδα", "GRC"),
    ("της ελληνικής κυβέρνησης", "GRC"), ("Қазақстан Республикасы", "KAZ"), ("στις ΗΠΑ", "USA"),
    # Czech and Romanian cases, Hebrew prefixes, Swahili names
    ("v České republice", "CZE"), ("ve Spojených státech", "USA"), ("Rumunsko", "ROU"),
    ("Guvernul României", "ROU"), ("în Statele Unite", "USA"), ("Republica Cehă", "CZE"),
    ("ממשלת ישראל", "ISR"), ('הוא גר בארה"ב', "USA"), ("הוא גר בארה״ב", "USA"),
    ("החברה הישראלית", "ISR"), ("Serikali ya Marekani", "USA"), ("Uingereza", "GBR"),
    ("Jamhuri ya Muungano wa Tanzania", "TZA"), ("Republicii Moldova", "MDA"),
])
def test_country_names_in_the_tracker_languages_are_found(text, code):
    assert code in {m.entity.id for m in gazetteer().find(text) if m.entity.kind == "country"}


@pytest.mark.parametrize("text", [
    "リアルタイムで処理する", "インド太平洋地域", "Kuba Błaszczykowski strzelił gola",
    "문제 해결 수단을 찾았다", "哥伦比亚大学的研究人员", "内蒙古自治区", "Island nations",
    "Η Γεωργία Παπαδοπούλου μίλησε", "Мариотт қонақүйі",
    "District of Columbia", "Columbia University",  # Romanian 'Columbia' is Colombia
    "הילדה קיבלה בובה", "הם הודו כי טעו", "ארובה של מפעל", "קניה של מניות",  # Hebrew words
])
def test_ordinary_words_are_not_taken_for_translated_country_names(text):
    assert [m.surface for m in gazetteer().find(text) if m.entity.kind == "country"] == []


@pytest.mark.parametrize("text,code", [
    ("وقعت الحكومة المصرية اتفاقية", "EGY"), ("الحكومة الألمانية", "DEU"),
    ("وزارة الداخلية القطرية", "QAT"), ("وزارة الداخلية الإماراتية", "ARE"),
])
def test_arabic_country_adjectives_are_made_from_the_names(text, code):
    assert code in {m.entity.id for m in gazetteer().find(text) if m.entity.kind == "country"}


@pytest.mark.parametrize("text,event_type", [
    ("Das Land Hessen führt den KI-Assistenten Copilot von Microsoft in der gesamten "
     "Landesverwaltung ein, teilte das Ministerium mit.", "deployment"),
    ("Die Stadt München schafft für alle Ämter Lizenzen des KI-Assistenten Copilot von "
     "Microsoft an.", "contract"),
])
def test_german_separable_verbs_end_their_clause(text, event_type):
    [event] = derive_events(text, published="2026-03-10", language="de").events
    assert event["event_type"] == event_type


# ------------------------------------------------------------------ names in other scripts
@pytest.mark.parametrize("text,kind,ident", [
    ("أعلنت الوزارة شراكة وجوجل", "vendor", "google"),         # 'and Google'
    ("اتفاقية ولمايكروسوفت", "vendor", "microsoft"),           # 'and for Microsoft'
    ("соглашение с Палантиром", "vendor", "palantir"),          # instrumental case
    ("Майкрософтпен келісім", "vendor", "microsoft"),           # Kazakh 'with'
    ("Huawei Cloud brings Pangu models to the ministry", "model", "pangu"),
])
def test_names_take_the_clitics_and_case_endings_of_their_language(text, kind, ident):
    assert ident in {m.entity.id for m in gazetteer().find(text) if m.entity.kind == kind}


@pytest.mark.parametrize("text,ident", [
    ("Bộ Công an triển khai ứng dụng AI của Viettel", "viettel"),
    ("O governo usa o Sabiá-3 da Maritaca AI", "maritaca-ai"),
    ("Il ministero adotta Velvet di Almawave", "almawave"),
    ("الوزارة تعتمد نموذج علام من HUMAIN", "humain"),
])
def test_vendors_outside_the_us_and_europe_are_known(text, ident):
    assert ident in {m.entity.id for m in gazetteer().find(text) if m.entity.kind == "vendor"}


def test_a_vendor_named_like_a_common_word_needs_its_capitals():
    assert not [m for m in gazetteer().find("le respect de l'être humain")
                if m.entity.kind == "vendor"]


@pytest.mark.parametrize("text", [
    "الجوجلية",          # an article glued before: a longer word
    "Палантировский",    # a longer word, not a case ending
])
def test_a_name_inside_a_longer_word_is_not_found(text):
    assert not [m for m in gazetteer().find(text) if m.entity.kind == "vendor"]


# ------------------------------------------------------------------ one event per language
EVENTS = {
    "en": ("Canada awards OpenAI contract",
           ("The government of Canada awarded OpenAI a contract to deploy ChatGPT across federal"
            " departments. The AI assistant will support public servants."),
           "openai", "CAN"),
    "fr": ("La Belgique signe avec Mistral AI",
           ("Le gouvernement de la Belgique a signé un contrat avec Mistral AI pour déployer Le "
            "Chat dans ses administrations. L'IA aidera les agents publics."),
           "mistral-ai", "BEL"),
    "de": ("Österreich setzt auf Aleph Alpha",
           ("Österreich hat mit Aleph Alpha einen Rahmenvertrag unterzeichnet. Die Regierung "
            "setzt die KI in allen Behörden ein."),
           "aleph-alpha", "AUT"),
    "es": ("Google gana una licitación en México",
           ("El Gobierno de México adjudicó a Google una licitación para desplegar Gemini en sus"
            " ministerios. La inteligencia artificial apoyará a los funcionarios."),
           "google", "MEX"),
    "ja": ("日本政府、OpenAIと契約",
           "日本政府はOpenAIと契約を締結し、ChatGPTを各省庁に導入した。",
           "openai", "JPN"),
    "ko": ("대한민국 정부, OpenAI와 계약",
           "대한민국 정부는 OpenAI와 계약을 체결하고 ChatGPT를 도입했다.",
           "openai", "KOR"),
    "pt": ("Brasil implanta o ChatGPT",
           ("O Ministério da Defesa do Brasil implantou o ChatGPT da OpenAI em todas as "
            "unidades. A inteligência artificial apoia os servidores."),
           "openai", "BRA"),
    "it": ("L'Italia aggiudica un appalto a Mistral AI",
           ("Il Ministero della Difesa dell'Italia ha aggiudicato a Mistral AI un appalto per "
            "adottare Le Chat. L'intelligenza artificiale sarà utilizzata dal personale."),
           "mistral-ai", "ITA"),
    "nl": ("Nederland gunt Microsoft raamovereenkomst",
           ("Nederland gunt Microsoft een raamovereenkomst voor Copilot. De overheid zet de "
            "kunstmatige intelligentie in op alle ministeries."),
           "microsoft", "NLD"),
    "pl": ("Polska podpisała umowę z Google",
           ("Polska podpisała umowę z Google na wdrożenie Gemini w ministerstwach. Sztuczna "
            "inteligencja trafi do administracji publicznej."),
           "google", "POL"),
    "sv": ("Sverige tecknar avtal med Anthropic",
           ("Sverige har tecknat ett avtal med Anthropic om Claude. Regeringen inför artificiell"
            " intelligens i flera myndigheter."),
           "anthropic", "SWE"),
    "ru": ("Казахстан подписал контракт с Microsoft",
           ("Казахстан подписал контракт с Microsoft на внедрение Copilot в министерствах. "
            "Искусственный интеллект будут использовать госорганы."),
           "microsoft", "KAZ"),
    "ar": ("السعودية توقع عقدا مع OpenAI",
           ("وقعت المملكة العربية السعودية عقدا مع OpenAI لتوفير ChatGPT للجهات الحكومية. "
            "وستستخدم الوزارة الذكاء الاصطناعي في خدماتها."),
           "openai", "SAU"),
    "zh": ("新加坡政府与Microsoft签署合同",
           "新加坡政府与Microsoft签署合同，在各部门部署Copilot。该人工智能助手将服务公务员。",
           "microsoft", "SGP"),
    "vi": ("Việt Nam ký hợp đồng với Google",
           ("Chính phủ Việt Nam đã ký kết hợp đồng với Google để triển khai Gemini tại các bộ "
            "ngành. Trí tuệ nhân tạo sẽ hỗ trợ công chức."),
           "google", "VNM"),
    "id": ("Singapura teken kontrak dengan Microsoft",
           ("Pemerintah Singapura menandatangani kontrak dengan Microsoft untuk menerapkan "
            "Copilot di kementerian. Kecerdasan buatan itu akan membantu pegawai negeri."),
           "microsoft", "SGP"),
    "el": ("Η Ελλάδα φέρνει το ChatGPT Edu στα σχολεία",
           ("Το Υπουργείο Παιδείας, Θρησκευμάτων και Αθλητισμού της Ελλάδας υπέγραψε σύμβαση με"
            " την OpenAI για να αξιοποιήσει το ChatGPT Edu στα σχολεία. Η τεχνητή νοημοσύνη θα "
            "υποστηρίξει τους εκπαιδευτικούς."),
           "openai", "GRC"),
    "kk": ("Қазақстан Microsoft компаниясымен келісімшартқа қол қойды",
           ("Қазақстан Республикасының Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі "
            "министрлігі Microsoft компаниясымен келісімшартқа қол қойып, Copilot жүйесін "
            "мемлекеттік органдарға енгізді. Жасанды интеллектті мемлекеттік қызметшілер "
            "пайдаланады."),
           "microsoft", "KAZ"),
    "da": ("Danmark indgår aftale med OpenAI",
           ("Digitaliseringsministeriet har indgået en aftale med OpenAI om at indføre ChatGPT "
            "Enterprise i statens myndigheder. Den kunstige intelligens skal hjælpe medarbejderne "
            "med sagsbehandlingen."),
           "openai", "DNK"),
    "nb": ("Norge inngår avtale med Anthropic",
           ("Digitaliseringsdirektoratet har inngått en avtale med Anthropic om Claude for "
            "statlige virksomheter. Språkmodellen skal hjelpe saksbehandlerne."),
           "anthropic", "NOR"),
    "fi": ("Suomen puolustusministeriö allekirjoitti sopimuksen OpenAI:n kanssa",
           ("Puolustusministeriö on allekirjoittanut sopimuksen OpenAI:n kanssa ChatGPT:n "
            "käyttöönotosta. Tekoäly auttaa virkamiehiä asiakirjojen laadinnassa."),
           "openai", "FIN"),
    "tr": ("Türkiye, Microsoft ile yapay zeka sözleşmesi imzaladı",
           ("Sanayi ve Teknoloji Bakanlığı, Microsoft ile Copilot için bir sözleşme imzaladı. "
            "Yapay zeka asistanı bakanlık personeline destek olacak."),
           "microsoft", "TUR"),
    "ms": ("Malaysia terima Copilot daripada Microsoft",
           ("Microsoft membekalkan Copilot kepada Kementerian Pertahanan untuk semua penjawat "
            "awam. Kecerdasan buatan itu membantu urusan harian kerajaan."),
           "microsoft", "MYS"),
    "uk": ("Мінцифри підписало контракт з Google",
           ("Міністерство цифрової трансформації підписало контракт з Google на використання "
            "Gemini. Штучний інтелект використовуватимуть дві тисячі службовців."),
           "google", "UKR"),
    "hi": ("मंत्रालय ने OpenAI के साथ अनुबंध किया",
           ("रक्षा मंत्रालय ने OpenAI के साथ ChatGPT Enterprise के लिए अनुबंध पर हस्ताक्षर किए। "
            "एआई सहायक का उपयोग मंत्रालय के कर्मचारी करेंगे।"),
           "openai", "IND"),
    "th": ("กระทรวงลงนามสัญญากับ Microsoft",
           ("กระทรวงกลาโหม ลงนามสัญญากับ Microsoft เพื่อนำ Copilot มาใช้ในหน่วยงานภาครัฐ "
            "ปัญญาประดิษฐ์จะช่วยเจ้าหน้าที่ในการทำงาน"),
           "microsoft", "THA"),
    "cs": ("Ministerstvo obrany podepsalo smlouvu se společností Google",
           ("Ministerstvo obrany České republiky podepsalo smlouvu se společností Google na "
            "nasazení Gemini. Umělá inteligence pomůže úředníkům s agendou."),
           "google", "CZE"),
    "ro": ("Guvernul României a semnat un contract cu OpenAI",
           ("Guvernul României a semnat un contract cu OpenAI pentru implementarea ChatGPT în "
            "ministere. Inteligența artificială va fi folosită de funcționari."),
           "openai", "ROU"),
    "he": ("משרד הביטחון חתם על חוזה עם Microsoft",
           ('משרד הביטחון חתם על חוזה עם Microsoft להטמעת Copilot ביחידות צה"ל. הבינה '
            "המלאכותית תסייע לחיילים בעבודה השוטפת."),
           "microsoft", "ISR"),
    "sw": ("Tanzania yasaini mkataba na Microsoft",
           ("Serikali ya Tanzania imesaini mkataba na Microsoft wa kutumia Copilot katika wizara "
            "zote. Akili bandia itawasaidia watumishi wa umma."),
           "microsoft", "TZA"),
}
NON_EVENTS = {
    "en": "The government of Canada plans to award OpenAI a contract to deploy ChatGPT.",
    "fr": ("Le gouvernement de la Belgique pourrait signer un contrat avec Mistral AI ; les "
           "négociations continuent."),
    "de": "Österreich plant einen Vertrag mit Aleph Alpha und verhandelt über den Einsatz der KI.",
    "es": ("El Gobierno de México planea adjudicar a Google una licitación y negocia el uso de "
           "Gemini."),
    "ja": "日本政府はOpenAIとの契約締結とChatGPTの導入を検討している。",
    "ko": "대한민국 정부는 OpenAI와의 계약 체결과 ChatGPT 도입을 검토하고 있다.",
    "pt": "O Ministério da Defesa do Brasil planeja implantar o ChatGPT da OpenAI no próximo ano.",
    "it": ("Il governo dell'Italia potrebbe firmare un contratto con Mistral AI: sono in corso "
           "trattative."),
    "nl": ("Het kabinet van Nederland overweegt een raamovereenkomst met Microsoft voor Copilot "
           "en is in gesprekken."),
    "pl": "Polska rozważa umowę z Google na wdrożenie Gemini i prowadzi rozmowy.",
    "sv": "Sverige överväger ett avtal med Anthropic om Claude och för samtal med bolaget.",
    "ru": "Казахстан планирует подписать контракт с Microsoft и ведёт переговоры о Copilot.",
    "ar": "تخطط المملكة العربية السعودية لتوقيع عقد مع OpenAI وتجري محادثات بشأن ChatGPT.",
    "zh": "新加坡政府计划与Microsoft谈判，考虑采购Copilot。",
    "vi": "Chính phủ Việt Nam đang đàm phán với Google và dự kiến ký hợp đồng về Gemini.",
    "id": "Pemerintah Singapura berencana menandatangani kontrak dengan Microsoft untuk Copilot.",
    "el": ("Η Ελλάδα σχεδιάζει να υπογράψει σύμβαση με την OpenAI και βρίσκεται σε "
           "διαπραγματεύσεις για το ChatGPT Edu."),
    "kk": ("Қазақстан Қорғаныс министрлігі Microsoft компаниясымен келісімшартқа қол қоюды "
           "жоспарлап отыр және Copilot жөнінде келіссөздер жүргізуде."),
    "da": ("Danmarks regering overvejer en aftale med OpenAI og planlægger at indføre ChatGPT "
           "Enterprise i statens myndigheder."),
    "nb": ("Norges regjering er i samtaler med Anthropic og vurderer å ta i bruk Claude i "
           "statlige virksomheter."),
    "fi": ("Suomen hallitus neuvottelee OpenAI:n kanssa ja suunnittelee ChatGPT:n käyttöönottoa "
           "ministeriöissä."),
    "tr": ("Türkiye hükümeti, Copilot için Microsoft ile görüşmeler yürütüyor ve sözleşme "
           "imzalamayı planlıyor."),
    "ms": ("Kerajaan Malaysia sedang dalam rundingan dengan Microsoft dan merancang untuk "
           "melaksanakan Copilot."),
    "uk": ("Міністерство цифрової трансформації планує укласти договір з Google і веде "
           "перемовини щодо впровадження Gemini."),
    "hi": ("रक्षा मंत्रालय OpenAI के साथ ChatGPT Enterprise के लिए अनुबंध की योजना बना रहा है और "
           "बातचीत जारी है।"),
    "th": ("กระทรวงกลาโหม อยู่ระหว่างเจรจากับ Microsoft และวางแผนจะนำ Copilot มาใช้ในหน่วยงานภาครัฐ"),
    "cs": ("Ministerstvo obrany plánuje uzavřít smlouvu se společností Google a jedná o nasazení "
           "Gemini."),
    "ro": ("Ministerul Apărării Naționale intenționează să semneze un contract cu Microsoft și "
           "poartă negocieri privind Copilot."),
    "he": "משרד הביטחון מתכנן לחתום על חוזה עם Microsoft ומנהל משא ומתן על הטמעת Copilot.",
    "sw": ("Serikali ya Tanzania inapanga kusaini mkataba na Microsoft na iko kwenye mazungumzo "
           "kuhusu Copilot."),
}


def test_every_language_file_has_its_cases():
    """Adding a language is a data file plus these two texts."""
    assert set(EVENTS) == set(NON_EVENTS) == set(cues.LANGUAGES) - {cues.COMMON}


@pytest.mark.parametrize("language", sorted(EVENTS))
def test_a_supply_reported_as_fact_is_an_event(language):
    """Each text relies on its own language's file: without it there is no event."""
    title, text, vendor, country = EVENTS[language]
    result = derive_events(text, title=title, published="2025-05-01", language=language)
    assert len(result.events) == 1, result.events
    event = result.events[0]
    assert vendor in [v["id"] for v in event["vendors"]]
    assert country in [c["id"] for c in event["countries"]]


@pytest.mark.parametrize("language", sorted(NON_EVENTS))
def test_a_plan_or_talks_is_not_an_event(language):
    """Each text is an event but for its own language's vetoes."""
    result = derive_events(NON_EVENTS[language], published="2025-05-01", language=language)
    assert result.events == []


# ------------------------------------------------------------------ Danish, Norwegian, Finnish,
# Turkish and Malay: a supply found whole, by its own words. language -> (title, text,
# published, vendor, the receiving body as written, country, type, the date written in words)
SUPPLIES = {
    "da": ("Digitaliseringsstyrelsen indgår aftale med OpenAI",
           ("Digitaliseringsstyrelsen har den 3. marts indgået en aftale med OpenAI om at indføre "
            "ChatGPT Enterprise i statens myndigheder. Den kunstige intelligens skal hjælpe "
            "medarbejderne."),
           "2025-03-05", "openai", "Digitaliseringsstyrelsen", "DNK", "contract", "2025-03-03"),
    "nb": ("Direktoratet tar i bruk Claude",
           ("Digitaliseringsdirektoratet signerte tirsdag en avtale med Anthropic om å ta i bruk "
            "Claude i statlige virksomheter. Kunstig intelligens skal hjelpe saksbehandlerne."),
           "2025-03-05", "anthropic", "Digitaliseringsdirektoratet", "NOR", "deployment",
           "2025-03-04"),  # Tuesday, the day before publication
    "fi": ("Ministeriö otti tekoälyn käyttöön",
           ("Puolustusministeriö otti 3. maaliskuuta käyttöön OpenAI:n kehittämän ChatGPT:n. "
            "Tekoälyä käyttää aluksi 500 virkamiestä."),
           "2025-03-05", "openai", "Puolustusministeriö", "FIN", "deployment", "2025-03-03"),
    "tr": ("Bakanlık Gemini'yi test etti",
           ("Sanayi ve Teknoloji Bakanlığı, 3 Mart 2025'te Google'ın Gemini modelini bir pilot "
            "proje kapsamında test etti. Yapay zeka, bakanlık personelinin yazışmalarında "
            "kullanılacak."),
           "2025-03-05", "google", "Sanayi ve Teknoloji Bakanlığı", "TUR", "pilot", "2025-03-03"),
    "ms": ("Jabatan Digital Negara luluskan Copilot",
           ("Jabatan Digital Negara meluluskan Copilot daripada Microsoft pada 3 Mac untuk "
            "kegunaan semua agensi kerajaan. Kecerdasan buatan itu membantu penjawat awam."),
           "2025-03-05", "microsoft", "Jabatan Digital Negara", "MYS", "authorization",
           "2025-03-03"),
    # Ukrainian, Hindi and Thai
    "uk": ("Мінцифри підписало контракт з Google",
           ("Міністерство цифрової трансформації у вівторок підписало контракт з Google на "
            "використання Gemini. Штучний інтелект використовуватимуть дві тисячі службовців."),
           "2025-03-05", "google", "Міністерство цифрової трансформації", "UKR", "contract",
           "2025-03-04"),  # Tuesday, the day before publication
    "hi": ("मंत्रालय ने OpenAI के साथ अनुबंध किया",
           ("इलेक्ट्रॉनिकी और सूचना प्रौद्योगिकी मंत्रालय ने 3 मार्च 2025 को OpenAI के साथ ChatGPT "
            "Enterprise के लिए अनुबंध पर हस्ताक्षर किए। एआई सहायक का उपयोग मंत्रालय के कर्मचारी "
            "करेंगे।"),
           "2025-03-05", "openai", "इलेक्ट्रॉनिकी और सूचना प्रौद्योगिकी मंत्रालय", "IND",
           "contract", "2025-03-03"),
    "th": ("กระทรวงดิจิทัลฯ ลงนามสัญญากับ Microsoft",
           ("กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม ลงนามสัญญากับ Microsoft เมื่อวันที่ 3 มีนาคม 2025 "
            "เพื่อนำ Copilot มาใช้ในหน่วยงานภาครัฐ ปัญญาประดิษฐ์จะช่วยเจ้าหน้าที่ในการทำงาน"),
           "2025-03-05", "microsoft", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "THA", "contract",
           "2025-03-03"),
    # Czech, Romanian, Hebrew and Swahili: a weekday the day before publication (a Wednesday)
    "cs": ("Agentura nasadila Copilot",
           ("Digitální a informační agentura v úterý nasadila Copilot od společnosti Microsoft na "
            "všech ministerstvech. Tisíc úředníků využívá umělou inteligenci při vyřizování "
            "agendy."),
           "2025-03-05", "microsoft", "Digitální a informační agentura", "CZE", "deployment",
           "2025-03-04"),
    "ro": ("ANAF aprobă Gemini",
           ("Agenția Națională de Administrare Fiscală a aprobat marți utilizarea asistentului "
            "Gemini de la Google de către toți funcționarii. Inteligența artificială îi ajută pe "
            "inspectori."),
           "2025-03-05", "google", "Agenția Națională de Administrare Fiscală", "ROU",
           "authorization", "2025-03-04"),
    "he": ("רשות המסים הטמיעה את Gemini",
           ("רשות המסים הטמיעה ביום שלישי את Gemini של Google בכל משרדיה. עובדי הרשות משתמשים "
            "בבינה המלאכותית במענה לפניות."),
           "2025-03-05", "google", "רשות המסים", "ISR", "deployment", "2025-03-04"),
    "sw": ("Wizara ya Ulinzi yazindua ChatGPT",
           ("Wizara ya Ulinzi ilizindua Jumanne mfumo wa ChatGPT kutoka OpenAI kwa wanajeshi wote. "
            "Wanajeshi wanatumia akili bandia katika kazi za kila siku."),
           "2025-03-05", "openai", "Wizara ya Ulinzi", "TZA", "deployment", "2025-03-04"),
}
# More supplies of the same languages, each of another type, dated in words.
MORE_SUPPLIES = [
    ("cs", "Úřad schválil Gemini",
     ("Národní úřad pro kybernetickou a informační bezpečnost 3. března 2025 schválil "
      "Gemini od společnosti Google pro státní správu. Umělá inteligence pomůže úředníkům."),
     "2025-03-05", "google", "Národní úřad pro kybernetickou a informační bezpečnost", "CZE",
     "authorization", "2025-03-03"),
    ("ro", "Ministerul Sănătății testează Claude",
     ("Ministerul Sănătății a lansat pe 3 martie 2025 un proiect pilot cu Claude de la Anthropic "
      "în spitalele publice. Inteligența artificială ajută medicii."),
     "2025-03-05", "anthropic", "Ministerul Sănătății", "ROU", "pilot", "2025-03-03"),
    ("he", "רשות החדשנות אישרה את ChatGPT",
     ("רשות החדשנות אישרה ב-3 במרץ 2025 את ChatGPT של OpenAI לכל משרדי הממשלה. הבינה "
      "המלאכותית תסייע לעובדי המדינה."),
     "2025-03-05", "openai", "רשות החדשנות", "ISR", "authorization", "2025-03-03"),
    ("sw", "Mamlaka ya Mapato yaidhinisha Copilot",
     ("Mamlaka ya Mapato Tanzania iliidhinisha tarehe 3 Machi 2025 mfumo wa Copilot kutoka "
      "Microsoft kwa watumishi wote. Akili bandia itawasaidia kushughulikia kodi."),
     "2025-03-05", "microsoft", "Mamlaka ya Mapato", "TZA", "authorization", "2025-03-03"),
]


@pytest.mark.parametrize("language", sorted(SUPPLIES))
def test_a_supply_in_the_language_names_its_body_type_and_date(language):
    _check_supply(language, *SUPPLIES[language])


@pytest.mark.parametrize("case", MORE_SUPPLIES, ids=[f"{c[0]}-{c[7]}" for c in MORE_SUPPLIES])
def test_supplies_of_other_types_name_their_body_type_and_date(case):
    _check_supply(*case)


def _check_supply(language, title, text, published, vendor, body, country, event_type, day):
    [event] = derive_events(text, title=title, published=published, language=language).events
    assert vendor in [v["id"] for v in event["vendors"]]
    assert body in [a.get("name") for a in event["agencies"]]
    assert [c["id"] for c in event["countries"]] == [country]
    assert (event["event_type"], event["event_date"]) == (event_type, day)


@pytest.mark.parametrize("code", ["nb", "no", "nn", "NO", "nb-NO", "nb_NO", "nn-NO"])
def test_norwegian_by_any_code_reads_the_bokmal_file(code):
    """py3langid calls Bokmål 'no' and Nynorsk 'nn'; pages say 'nb-NO': all read nb.yml."""
    assert cues.language_file(code) == "nb"
    assert cues.home_country(code, "Avtalen er inngått av regjeringen.") == "NOR"


@pytest.mark.parametrize("code", ["no", "nn"])
def test_a_text_identified_as_norwegian_finds_what_bokmal_finds(code):
    title, text, published, *_ = SUPPLIES["nb"]
    assert derive_events(text, title=title, published=published, language=code).events == \
        derive_events(text, title=title, published=published, language="nb").events


@pytest.mark.parametrize("code,text,home", [
    ("sw", "Wizara ilisema jijini Nairobi.", "KEN"), ("sw", "Wizara ilisema jijini Dodoma.", "TZA"),
    ("sw", "Wizara ilisema.", "TZA"),
    ("ro", "Ministerul a anunțat la Chișinău.", "MDA"),
    ("ro", "Ministerul a anunţat la Bucureşti.", "ROU"),
    ("ro", "Ministerul a anunțat.", "ROU"),
])
def test_swahili_and_romanian_words_tell_which_government_a_text_means(code, text, home):
    """Kenya and Tanzania write Swahili, Romania and Moldova Romanian."""
    assert cues.home_country(code, text) == home


def test_other_codes_read_their_own_file():
    assert [cues.language_file(c) for c in ("da", "pt-BR", "fi", None, "")] == \
        ["da", "pt", "fi", None, None]


def test_an_unquoted_language_alias_is_an_error(tmp_path):
    (tmp_path / "_common.yml").write_text("language_alias: {no: nb}\n")
    with pytest.raises(cues.LanguageFileError,
                       match=r"_common\.yml: language_alias: False: 'nb' is not a code"):
        cues.load_languages(tmp_path)
