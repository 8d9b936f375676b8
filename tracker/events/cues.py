"""Cue lexicons (en, fr, de, es, ja, ko) as compiled patterns: what a sentence says happened."""

from __future__ import annotations

import re

I = re.IGNORECASE


def _rx(*parts: str, flags: int = I) -> re.Pattern:
    """One alternation; branches that start at a word boundary share a single leading \\b,
    which makes matching about four times faster than testing \\b in every branch, and are
    grouped by their first letter, which makes it about 1.6 times faster again."""
    bounded = [p[2:] for p in parts if p.startswith(r"\b")]
    others = [p for p in parts if not p.startswith(r"\b")]
    branches = [r"\b(?:" + _by_first_letter(bounded, flags) + ")"] if bounded else []
    branches += [f"(?:{p})" for p in others]
    return re.compile("|".join(branches), flags)


def _by_first_letter(parts: list[str], flags: int) -> str:
    """'contract|award|accord' as 'c(?:ontract)|a(?:ward|ccord)': the same matches in the same
    order of preference (branches with different first letters cannot match at the same place;
    a branch that does not start with a plain letter keeps its position between runs)."""
    segments: list[str] = []
    run: dict[str, list[str]] = {}
    for part in parts:
        first = part[:1]
        if first.isascii() and first.isalnum() and part[1:2] not in ("?", "*", "+", "{") \
                and not _top_level_bar(part):
            run.setdefault(first.lower() if flags & I else first, []).append(part[1:])
            continue
        segments += [f"{c}(?:{'|'.join(f'(?:{r})' for r in rest)})" for c, rest in run.items()]
        segments.append(f"(?:{part})")
        run = {}
    segments += [f"{c}(?:{'|'.join(f'(?:{r})' for r in rest)})" for c, rest in run.items()]
    return "|".join(segments)


def _top_level_bar(pattern: str) -> bool:
    """Whether the pattern is itself an alternation ('a|b'), outside groups and classes."""
    depth, escaped, in_class = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


# Event types, strongest evidence first. Each pattern marks a supply reported as fact.
TYPE_CUES: dict[str, re.Pattern] = {
    "contract": _rx(
        r"\bcontracts?\b", r"\bawards?\b", r"\bawarded\b", r"\btask order", r"\benterprise agreement",
        r"\bframework agreement", r"\bdeal\b", r"\$\s?\d[\d.,]*\s*(?:million|billion|m\b|bn\b)",
        r"\bprocure(?:s|d|ment)?\b", r"\bpurchas(?:e|es|ed)\b", r"\bacquired?\b", r"\bbuys?\b",
        r"\bbought\b", r"\bsigns?\b.{0,40}\bagreement", r"\bsigned\b", r"\bselect(?:s|ed)\b",
        r"\btaps?\b", r"\btapped\b", r"\bhired?\b", r"\benterprise license",
        r"\bsign\w*\s+(?:un|l'|d'un)\s*(?:accord|contrat|partenariat)",
        r"\bcontrat", r"\baccord[- ]cadre", r"\bmarché public", r"\battribu[ée]", r"\bsign[ée]",
        r"\bVertrag", r"\bAuftrag", r"\bRahmenvertrag", r"\bbeschaff", r"\bvergeben",
        r"\bunterzeichne", r"\bcontrato", r"\badjudic", r"\bfirm[óa]", r"\blicitaci",
        r"契約", r"受注", r"落札", r"調達", r"계약", r"수주", r"낙찰", r"조달", r"체결"),
    "authorization": _rx(
        r"\bapprov(?:e|es|ed|al)\b", r"\bauthori[sz](?:e|es|ed|ation)\b", r"\bcleared\b",
        r"\baccreditation\b", r"\bFedRAMP\b", r"\bImpact Level\b", r"\bIL[2456]\b",
        r"\bapproved (?:AI )?tools?\b", r"\bschedule\b", r"\bhomologu", r"\bautoris[ée]",
        r"\bzugelassen\b", r"\bZulassung", r"\bgenehmigt", r"\bautoriz", r"\baprob",
        r"承認", r"認可", r"승인", r"인증"),
    "pilot": _rx(
        r"\bpilot(?:s|ed|ing)?\b", r"\bprototyp", r"\btrials?\b", r"\btrialled\b", r"\btrialed\b",
        r"\bexperiment", r"\bproof[- ]of[- ]concept", r"\btest(?:s|ed|ing)\b",
        r"\bexpérimentation", r"\bexpériment", r"\bphase de test", r"\bPilotprojekt",
        r"\bErprobung", r"\berprob", r"\bTestphase", r"\bgetestet\b", r"\bpiloto\b", r"\bprueba", r"実証", r"試験導入", r"試行",
        r"시범", r"실증"),
    "deployment": _rx(
        r"\bdeploy(?:s|ed|ing|ment)?\b", r"\broll(?:s|ed|ing)? out\b", r"\brollout\b",
        r"\blaunch(?:es|ed)?\b", r"\badopt(?:s|ed|ion)?\b", r"\bgo(?:es)? live\b",
        r"\bintegrat(?:e|es|ed|ing)\b", r"\bin use\b", r"\bimplement(?:s|ed)\b",
        r"\bus(?:es|ed|ing)\s+(?:[\w-]+\s+){0,3}(?:AI|models?|tools?|software|chatbots?|systems?|"
        r"platforms?|assistants?)\s+(?:from|by|made by|developed by|built by)\b",
        r"\bdéploi", r"\bdéploy", r"\butilis(?:e|é|ent)\b", r"\bintègre", r"\bintégr",
        r"\beinsetz", r"\beingesetzt", r"\bEinsatz", r"\beingeführt", r"\bführt.{0,30}\bein\b",
        r"\bnutzt\b", r"活用", r"利用", r"追加", r"採択", r"\bsetz(?:t|en)\b.{0,80}\bein\b", r"\bausroll", r"\brollt\b.{0,60}\baus\b", r"\bdespleg", r"\bimplement", r"\butiliza", r"導入", r"採用", r"運用",
        r"활용", r"도입", r"적용", r"배치"),
    "access": _rx(
        r"\bavailable to\b", r"\bmak(?:e|es|ing) .{0,40}available\b", r"\baccess to\b",
        r"\bexpand(?:s|ed|ing)? access\b", r"\bextend(?:s|ed|ing)?\b.{0,40}\bto\b",
        r"\bopen(?:s|ed|ing)? .{0,30}\bto\b", r"\bpermit(?:s|ted)?\b", r"\ballow(?:s|ed)?\b",
        r"\boffer(?:s|ed|ing)?\b", r"\bprovid(?:e|es|ed|ing)\b", r"\bsuppl(?:y|ies|ied)\b",
        r"\bfree of charge\b", r"\bgrant(?:s|ed|ing)?\b", r"\bexception for\b",
        r"\bopen(?:s|ed)? (?:up )?(?:its |the )?\w*\s?(?:models?|AI)\b", r"\bavailable for\b", r"\bfor \$?(?:0\.)?\d+(?:\.\d+)? (?:per|an?) (?:agency|year)\b",
        r"\bmis à disposition", r"\baccès\b", r"\bfourni", r"\bZugang\b", r"\bbereitgestellt",
        r"\bacceso\b", r"提供", r"利用可能", r"제공", r"공급"),
    "partnership": _rx(
        r"\bpartner(?:s|ed|ing|ship|ships)?\b", r"\bcollaborat", r"\bteam(?:s|ed)? up\b",
        r"\bmemorandum of understanding\b", r"\bMoU\b", r"\bMOU\b", r"\bagreements?\b",
        r"\bcooperat", r"\bpartenariat", r"\baccord\b", r"\bPartnerschaft", r"\bKooperation",
        r"\bVereinbarung", r"\bZusammenarbeit", r"\balianza", r"\bacuerdo", r"\bconvenio",
        r"\bcolaboraci", r"連携", r"提携", r"協力", r"協定", r"合意", r"協業", r"파트너십",
        r"협력", r"협약", r"제휴", r"업무협약"),
}
TYPE_PRIORITY = ["contract", "authorization", "pilot", "deployment", "partnership", "access"]
# In a headline 'partners with X to deploy' is a partnership whose content is a deployment.
TITLE_TYPE_PRIORITY = ["contract", "authorization", "pilot", "partnership", "deployment", "access"]

AI_CUE = _rx(
    r"\bAI\b", r"\bA\.I\.", r"\bartificial intelligence\b", r"\bgenerative\b", r"\bLLMs?\b",
    r"\blarge language models?\b", r"\bchatbots?\b", r"\bmachine learning\b", r"\bmodels?\b",
    r"\bIA\b", r"\bintelligence artificielle\b", r"\bKI\b", r"\bKünstliche[nr]? Intelligenz\b",
    r"\binteligencia artificial\b", r"人工知能", r"生成AI", r"生成ＡＩ", r"ＡＩ", r"AI",
    r"인공지능", r"생성형", r"\bGenAI\b", r"\bcopilot\b", flags=0)

# Clause boundaries: a negative clause ('guidelines forbid X') must not veto its sibling
# ('but it is making an exception for US agencies').
CLAUSE_SPLIT = re.compile(
    r",?\s+\bbut\b\s+|;\s+|,\s+\bwhile\b\s+|\bwhereas\b|\s+—\s+|, mais |, aber |, pero |"
    r",\s+which\s+|,\s+who\s+|, qui |, der |, die |, que |"
    r"が、|ほか、|けど、|지만 |으나 ")

# Sentences that must not count as a supply: unauthorized use, intentions, regulation, money.
NOT_A_SUPPLY = _rx(
    r"\bunauthori[sz]ed\b", r"\bwithout (?:permission|authori[sz]ation)\b", r"\bbans?\b",
    r"\bprohibit", r"\bviolat", r"\bin talks\b", r"\bnegotiat", r"\bconsider(?:s|ing)\b",
    r"\bplans? to\b", r"(?-i:\bwould\b)", r"(?-i:\bcould\b)", r"(?-i:\bmight\b)",
    r"(?-i:\bmay\b)", r"(?-i:\bif\b)", r"(?-i:\bshould\b)", r"\bought to\b", r"\bwants? to\b",
    r"\bseeks? to\b", r"\bseeking\b", r"\bproposed?\b", r"\bdevrait\b", r"\bsollte\b",
    r"\bdebería\b", r"\bhopes? to\b", r"\baims? to\b", r"\bexpected to\b",
    r"\bpotential(?:ly)?\b(?!\s+(?:worth|valued|up to|\$))",
    # comparisons: 'as in the US, where OpenAI...', 'aux États-Unis, où...'
    r"\bas in\b", r"\blike in\b", r",\s+where\b", r",\s+où\b", r"\bà l'instar\b", r"\bcomme aux?\b",
    r"\bwie in den\b", r"\bal igual que\b",
    r"\bAI Act\b", r"\bregulat", r"\bexecutive order", r"\bobligations?\b", r"\bcomply\b",
    r"\brais(?:e|es|ed|ing)\b.{0,40}\b(?:funding|round|million|billion)", r"\bfunding round",
    r"\bvaluation\b", r"\bvaloris", r"\blev[ée]e? de fonds", r"\blev[ée]\b.{0,30}\bmilliards?",
    r"\btour de table", r"\binvestors?\b", r"\binvestisseurs?\b", r"\bearnings\b",
    r"\bquarterly\b", r"\brevenue\b", r"\bshares? (?:rose|fell|jumped)", r"\brefund",
    r"\bcompet(?:e|es|ing|itor|itors|ition)\b", r"\brivals?\b", r"\badversar",
    r"\bbudget", r"\ballocat", r"\bspending\b", r"\bstock\b.{0,30}\b(?:rose|fell|jumped|climbed)",
    # aggregate revenue is not one supply: 'billions in US military contracts', 'since 2009'
    r"\b(?:billions|millions) in\b", r"\bsince (?:19|20)\d\d\b.{0,80}\bcontracts\b",
    r"\bin (?:U\.S\.|US|government|federal|military|defen[cs]e|Pentagon) contracts\b",
    r"\bcritici[sz]", r"\bcontrovers", r"\bpourrait\b", r"\bprévoit\b", r"\bnégoci",
    r"\bgeplant\b", r"\berwägt\b", r"\bprüft\b", r"\bverhandel", r"\bplanea\b", r"\bprevé\b",
    r"\bnegocia", r"\bestudia\b", r"\bconsidera\b", r"\benvisag", r"\bkönnte\b", r"\bplant\b", r"\bpodría\b", r"검토", r"계획",
    r"予定", r"検討", flags=I)

# Words that make a country mention a mere context, not a recipient.
COUNTRY_CONTEXT = _rx(
    r"\brivals?\b", r"\badversar", r"\bcompet", r"\bthreats?\b", r"\bas in\b", r"\blike\b",
    r"\bunlike\b", r"\bsimilar to\b", r"\bcompared\b", r"\bsuch as\b", r"\bwhere\b", r"\boù\b",
    r"\bcomme\b", r"\bwie\b", r"\bcomo\b", r"\bheadquartered\b", r"\bbased\b", r"\bstartup\b",
    r"\bstart-up\b", r"\bfirm\b", r"\bcompany\b", r"\bmaker\b", r"\bsociété\b", r"\bpépite\b",
    r"\bUnternehmen\b", r"\bempresa\b", r"\bvisit", r"\bsummit\b", r"\bmeeting\b",
    r"\bmet with\b", r"\bPrime Minister\b", r"\bbeyond\b", r"\boutside\b", flags=I)

# An agency named as someone's customer in general, or through its officials, is not a recipient
# of this supply: 'a major Pentagon contractor', 'Army CIO said', 'the Pentagon's budget'.
AGENCY_CONTEXT_AFTER = _rx(
    r"^\W{0,3}(?:['’]s\s+)?(?:favou?rite\s+)?(?:contractors?|suppliers?|vendors?|budget|officials?|"
    r"spokes\w*|(?-i:chief)|(?-i:secretary)|leader|CIO|CTO)\b", flags=I)
AGENCY_CONTEXT_BEFORE = _rx(r"\b(?:former|ex-|left|leaving|quit)\s*$", flags=I)

GOVERNMENT_WORDS = _rx(
    r"\bgovernments?\b", r"\bfederal agencies\b", r"\bagenc(?:y|ies)\b", r"\bministr(?:y|ies)\b",
    r"\bdepartments?\b", r"\bmilitar(?:y|ies)\b", r"\barmed forces\b",
    r"\bnational security agencies\b", r"\bpublic sector\b", r"\bgouvernement\b", r"\bministère\b",
    r"\barmées?\b", r"\bRegierung\b", r"\bBehörden?\b", r"\bMinisterium\b", r"\bBundeswehr\b",
    r"\bStreitkräfte\b", r"\bgobierno\b", r"\bministerio\b", r"\bfuerzas armadas\b",
    r"政府", r"省", r"庁", r"自衛隊", r"행정", r"정부", r"국방", r"군", flags=I)

PARTNER_CUES = _rx(
    r"\bpartner", r"\bwork(?:s|ing|ed)? with\b", r"\bcollaborat", r"\bthrough\b", r"\bvia\b",
    r"\bavailable (?:on|in|through)\b", r"\bhost", r"\bcloud\b", r"\bintegrat", r"\bresell",
    r"\bincluding\b", r"\bsuch as\b", r"\bteam(?:s|ed)? with\b", r"\bsubcontract", r"\bprime\b",
    r"\bcontractors?\b", r"\bcompanies like\b", r"\bfirms like\b", r"\bproviders?\b",
    r"\binfrastructure\b", r"\breseller", r"\bintegrator",
    r"\bpartenaires?\b", r"\bPartner", r"\bsocios?\b", r"パートナー", r"파트너", flags=I)

# '-based', 'allies', 'rivals' right after a country: it qualifies someone else.
COUNTRY_QUALIFIER_AFTER = _rx(
    r"^\W{0,2}(?:[\w-]+\s+)?(?:-based|-made|-headquartered|allies|allied|partners|adversar\w*|"
    r"rivals?|competitors?|startups?|firms?|compan(?:y|ies)|tech giants?|giants?|geopolitic\w*|"
    r"strateg\w*|interests?|leadership|values|dominance|supremacy)\b", flags=I)

DEMONYM_RECIPIENT = _rx(
    r"^\W{0,3}(?:(?:federal|national|central|state)\s+)?(?:government|armed forces|military|"
    r"army|navy|air force|forces|ministry|ministries|defen[cs]e|officials|agencies|troops|"
    r"public sector|administration|gouvernement|armées?|ministère|Regierung|Streitkräfte|"
    r"gobierno|ejército)\b", flags=I)

# A supply stated as earlier background ('This follows GSA's decision...', 'previously supplied
# the US Army', 'the March 2024 award for TITAN'): a separate, earlier event.
BACKGROUND = _rx(
    r"\bfollows?\b", r"\bfollowing\b", r"\bpreviously\b", r"\bearlier\b", r"\balready\b",
    r"\blast (?:year|month|spring|summer|fall|autumn|winter)\b", r"\bprior\b", r"\bprecursor",
    r"\bpillar\b", r"\bin (?:19|20)\d\d\b", r"\boriginally\b", r"\bhistorically\b",
    r"\bin (?:January|February|March|April|May|June|July|August|Sept(?:ember)?|October|November|"
    r"December) (?:19|20)\d\d\b", r"\bhad (?:been )?(?:awarded|signed|selected)\b",
    r"\bde(?:puis| longue date)\b", r"\bbereits\b", r"\bzuvor\b", r"\banteriormente\b",
    r"従来", r"これまで", r"以前", r"기존", r"이전", flags=I)

# Page furniture that trafilatura may keep: teasers of other stories, captions, credits.
FURNITURE = re.compile(
    r"^\W*(?:also read|read more|read also|related(?: stories| articles)?|see also|recommended|"
    r"more on this|(?:à |a )?lire aussi|mehr zum thema|lesen sie auch|leer más|lea también|"
    r"関連記事|관련기사|photo|image|credit|foto|bild|crédit)s?\b|\((?:photo|image|credit)s?\b",
    re.I)

# A company named by its cloud ('AWS', 'Microsoft Azure', 'Google Cloud') is hosting.
CLOUD_NAME = re.compile(r"cloud|azure|web services|govcloud|\bAWS\b|\bOCI\b", re.I)
# '... AWS and Microsoft host the models', '... provide the infrastructure'.
HOSTING_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:host(?:s|ed|ing)?|provid(?:e|es|ing) (?:the )?(?:infrastructure|cloud|"
    r"hosting|platform)|infrastructure|resell\w*|integrat\w*)\b", re.I)
