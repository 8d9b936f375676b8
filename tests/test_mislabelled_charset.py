"""A UTF-16 page declared as UTF-8 is read as UTF-16, never stored as NUL-riddled mojibake
(issue 13, class 6). Before: the text came out as '<\\x00h\\x00t\\x00m\\x00l...'."""

import codecs

import pytest

from tracker.extract.article import extract_article
from tracker.extract.charset import decode_html, utf16_encoding

TITLE = "L'armée française déploie Le Chat de Mistral AI"
PARAGRAPH = ("Le ministère des Armées a annoncé le 5 novembre que ses états-majors utilisent "
             "désormais Le Chat, l'assistant de Mistral AI, hébergé sur des serveurs français. ")
PAGE = (f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body><article>"
        f"<h1>{TITLE}</h1>" + f"<p>{PARAGRAPH}</p>" * 6 + "</article></body></html>")

ENCODINGS = {
    "le-with-bom": codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"),
    "be-with-bom": codecs.BOM_UTF16_BE + PAGE.encode("utf-16-be"),
    "le-without-bom": PAGE.encode("utf-16-le"),
    "be-without-bom": PAGE.encode("utf-16-be"),
}


@pytest.mark.parametrize("case", sorted(ENCODINGS))
def test_utf16_declared_as_utf8_is_decoded_as_utf16(case):
    text, used = decode_html(ENCODINGS[case], "utf-8")
    assert text == PAGE and used.startswith("utf-16")


@pytest.mark.parametrize("case", sorted(ENCODINGS))
def test_utf16_article_is_extracted_without_mojibake(case):
    article = extract_article(ENCODINGS[case], "https://news.example/fr/a.html", "utf-8")
    assert article.title == TITLE
    assert "états-majors utilisent désormais Le Chat" in article.text
    assert "\x00" not in article.text and "\ufffd" not in article.text


@pytest.mark.parametrize("body", [PAGE.encode("utf-8"), PAGE.encode("cp1252", "replace"),
                                  "Съобщение на министерството".encode("cp1251") * 20, b""])
def test_other_bodies_are_not_taken_for_utf16(body):
    assert utf16_encoding(body) is None
