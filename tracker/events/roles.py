"""Roles of a body or country inside one clause: receiver, or merely compared, hosting, listed.

Pure functions over a clause's text and its mentions (offsets relative to the clause). The
events layer (derive.py) asks them before counting a mention as a recipient:

- a body named as a comparison or as someone's counterpart ('like the US AI Safety
  Institute', 'modelled on NIST', "NIST's Canadian counterpart", 'joins similar institutes in
  the UK and US') is not a recipient when the clause names another one;
- an acronym in brackets right after a body's name is that body ('the Canadian AI Safety
  Institute (CAISI)'), even when an alias table gives the acronym to someone else;
- member states listed as members or allies of an international recipient ('NATO, whose
  members include France') are not recipients unless named as receivers;
- a country named as a vendor's home ("France's Mistral") or as a venue ('at the Paris AI
  Action Summit', 'at a summit in Seoul') is not a recipient.
"""

from __future__ import annotations

import re

from tracker.events.aliases import Mention

WINDOW = 60  # characters before a mention searched for the words that give it a role

# 'Like the US, Canada ...', ', similar to NIST', 'modelled on', 'counterpart in': a comparison.
# A bare 'like' after a plural noun gives examples ('agencies like NASA'), so 'like' counts only
# at the start of a clause, after a comma or dash, or after 'just'/'much'.
COMPARISON_BEFORE = re.compile(
    r"(?:(?:^|[,;:(—–]\s*|\b(?:just|much)\s+)(?:[Ll]ike|[Uu]nlike)\b"
    r"|\b(?:similar to|akin to|comparable to|equivalent (?:of|to)|modell?ed (?:on|after)|"
    r"patterned (?:on|after)|inspired by|following the (?:example|lead|model) of|"
    r"in the (?:mould|mold|footsteps) of|counterparts? (?:of|to|in|at)|"
    r"joins? (?:similar|other|sister|counterpart|equivalent)\w*\b[^.;]{0,40}?\b(?:in|at|of))"
    r")\s+(?:the\s+)?(?:[\w.'’-]+\s+){0,3}$")
COMPARISON_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:[\w-]+\s+){0,2}(?:counterparts?|equivalents?|peers?)\b")
# ', whose members include France', 'member states such as', 'allies including'.
# Only explicit membership: 'allies such as Japan' often names the receivers themselves.
MEMBER_BEFORE = re.compile(
    r"\b(?:members?|member (?:states|countries|nations)|signatories)\s+(?:such as|including|"
    r"like|include|includes|are|from)\b[^.;:]{0,50}$")
MEMBER_AFTER = re.compile(
    r"^[^.;:]{0,60}?\b(?:and|or)\s+(?:\d+\s+|the\s+)?other\s+(?:[\w-]+\s+)?(?:members?|"
    r"member states|member countries)\b")
VENUE_AFTER = re.compile(
    r"^\s+(?:[A-Z][\w-]*\s+){0,3}(?:Summit|Conference|Expo|Show|Forum|Fair|Week|Dialogue|"
    r"summit|conference|expo|air show|trade show|forum|fair)\b")
VENUE_BEFORE = re.compile(
    r"\b(?:summit|conference|expo|show|forum|fair|meeting|event|visit|gathering|talks)\s+"
    r"(?:[\w-]+\s+){0,3}(?:in|at|à|en)\s+$", re.I)
VENDOR_HOME_AFTER = re.compile(r"^(?:['’]s|-based|-headquartered)\s+(?:(?:own|homegrown)\s+)?$")
SUPPLIER_KINDS = ("vendor", "model", "partner")


def is_comparison(text: str, mention: Mention) -> bool:
    """'like the US AI Safety Institute', 'modelled on NIST', "NIST's Canadian counterpart":
    the mention is what the clause's recipient is compared with."""
    before = text[max(0, mention.start - WINDOW):mention.start]
    after = text[mention.end:mention.end + WINDOW]
    return bool(COMPARISON_BEFORE.search(before) or COMPARISON_AFTER.search(after))


def is_bracketed_acronym(text: str, mention: Mention, mentions: list[Mention]) -> bool:
    """'the Canadian AI Safety Institute (CAISI)': the acronym names the body just before it,
    not whoever an alias table gives it to."""
    before = text[:mention.start].rstrip()
    if not before.endswith("(") or not text[mention.end:].lstrip().startswith(")"):
        return False
    name_end = len(before[:-1].rstrip())
    return any(other.entity.kind == "agency" and other.entity.id != mention.entity.id
               and other.end == name_end for other in mentions)


def is_listed_member(text: str, mention: Mention) -> bool:
    """'whose members include France', 'allies such as Japan', 'France, Germany and other
    members': a member state listed, not a receiver."""
    before = text[max(0, mention.start - WINDOW):mention.start]
    after = text[mention.end:mention.end + WINDOW]
    return bool(MEMBER_BEFORE.search(before) or MEMBER_AFTER.search(after))


def is_venue(text: str, mention: Mention) -> bool:
    """'at the Paris AI Action Summit', 'at a summit in Seoul': where something was announced."""
    before = text[max(0, mention.start - WINDOW):mention.start]
    after = text[mention.end:mention.end + WINDOW]
    return bool(VENUE_AFTER.search(after) or VENUE_BEFORE.search(before))


def is_vendor_home(text: str, mention: Mention, mentions: list[Mention]) -> bool:
    """"France's Mistral", 'Paris-based Mistral': the country the supplier comes from."""
    for other in mentions:
        if other.entity.kind in SUPPLIER_KINDS and other.start >= mention.end \
                and VENDOR_HOME_AFTER.search(text[mention.end:other.start]):
            return True
    return False


def is_other_countrys_body(text: str, mention: Mention, mentions: list[Mention]) -> bool:
    """"Whitehall's justice department", 'the British justice department': a country named
    right before a body that an alias table gives to another country says it is not that
    country's body (generic names such as 'justice department' are shared)."""
    own = mention.entity.country
    if not own:
        return False
    return any(other.entity.kind == "country" and other.entity.id != own
               and re.fullmatch(r"(?:['’]s)?\s+(?:the\s+)?", text[other.end:mention.start])
               for other in mentions if other.end <= mention.start)
