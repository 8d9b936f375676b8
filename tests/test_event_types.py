"""Event types by the definitions of DESIGN.md, on short texts written for each."""

import pytest

from tracker.events.derive import derive_events


def typed(text, title):
    events = derive_events(text, title=title, published="2025-08-12").events
    assert len(events) == 1, events
    return events[0]["event_type"], events[0]["rules"]["type"]


@pytest.mark.parametrize("title, text, expected", [
    # A listing for others to buy, no buyer of its own: an authorization.
    ("Anthropic offers Claude to the US government for $1",
     "Anthropic will offer Claude to federal agencies for $1 per agency under a OneGov "
     "agreement with the General Services Administration.", "authorization"),
    ("GSA adds three AI vendors to its schedule",
     "The General Services Administration added OpenAI, Google and Anthropic to its Multiple "
     "Award Schedule, so agencies can buy ChatGPT, Gemini and Claude.", "authorization"),
    # A central purchasing body alone receives it: still an authorization.
    ("xAI lands GSA deal for Grok",
     "xAI signed a deal with the General Services Administration to make Grok available to "
     "federal agencies.", "authorization"),
    # A buyer of its own: the listing was only the way in, this is a contract.
    ("Transportation awards Google contract after OneGov deal",
     "The Department of Transportation awarded Google a contract for Gemini across the "
     "department, buying through the OneGov agreement of the General Services "
     "Administration.", "contract"),
    # A memorandum with no purchase: a partnership, in any language of the data.
    ("Canada signs MoU with Cohere",
     "The Government of Canada signed a non-binding memorandum of understanding with Cohere to "
     "explore the use of its AI models in public services.", "partnership"),
    ("Le ministère des Armées signe un protocole d'accord avec Mistral AI",
     "Le ministère des Armées a signé un protocole d'accord avec Mistral AI pour ses modèles "
     "d'intelligence artificielle.", "partnership"),
    # A memorandum that states a price is a purchase.
    ("Canada signs MoU with Cohere",
     "The Government of Canada signed a memorandum of understanding with Cohere and will pay "
     "$240 million for its AI models in public services.", "contract"),
    # A memorandum stated after a date line and a repeated headline is still the lead.
    ("Ottawa signs agreement with Cohere",
     "Published 19 August 2025. Ottawa signs agreement with Cohere. The Government of Canada "
     "signed a memorandum of understanding with Cohere on its AI models for public services.",
     "partnership"),
    # The supply called a pilot is a pilot, even when a contract or memorandum carries it.
    ("Greece signs MoU with OpenAI",
     "The Greek government signed a memorandum of understanding with OpenAI to pilot ChatGPT "
     "Edu in 20 secondary schools.", "pilot"),
    ("Ministry awards pilot programme to Mistral AI",
     "The French Ministry of the Armed Forces awarded Mistral AI a pilot programme for its "
     "language models.", "pilot"),
    # An earlier test phase is background, not what this announcement is.
    ("Bundeswehr setzt Helsing-KI ein",
     "Nach einer Testphase setzt die Bundeswehr die KI-Software Altra von Helsing ein.",
     "deployment"),
    # The receiver's own people get access: a deployment, whatever the deal or headline says.
    ("Ministry of Justice partners with OpenAI",
     "The UK Ministry of Justice signed a memorandum of understanding with OpenAI that gives "
     "2,500 civil servants access to ChatGPT Enterprise.", "deployment"),
    ("DOT moves to Gemini",
     "Over 50,000 Department of Transportation employees will get access to Google Gemini.",
     "deployment"),
])
def test_type_follows_the_written_definitions(title, text, expected):
    assert typed(text, title)[0] == expected


def test_the_type_names_its_rule():
    assert typed("The General Services Administration added Claude to its Multiple Award "
                 "Schedule for federal agencies.", "GSA adds Claude to schedule") == (
        "authorization", "type.listing_for_others_to_buy")


@pytest.mark.parametrize("text, rule", [
    ("The Greek government is piloting ChatGPT Edu from OpenAI in 20 schools.",
     "type.pilot_stated"),
    ("The State of Maryland gave 43,000 state employees access to Google Gemini.",
     "type.staff_use"),
])
def test_stated_types_name_their_rule(text, rule):
    assert typed(text, None)[1] == rule
