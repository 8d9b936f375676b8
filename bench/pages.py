"""Synthetic but realistic news pages (boilerplate, scripts, several languages) and feeds.

Used by the benchmark (bench/run.py) and the reliability tests. Deterministic for a given seed.
Pages are tens of KB like real article pages: navigation, cookie banner, inline JSON-LD and
scripts, related-story lists and a footer around 5-9 paragraphs of article text.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from html import escape

SENTENCES = {
    "en": [
        "Officials said the programme would be reviewed again before the end of the fiscal year.",
        "The department has spent the past two years modernising its logistics and supply systems.",
        "Analysts noted that budget pressure has slowed several long-running procurement efforts.",
        "A spokesperson declined to comment on the timeline, citing ongoing negotiations.",
        "The committee heard testimony from three former officials and an industry representative.",
        "Local authorities are expected to publish a detailed report on the findings next month.",
        "Weather across the region delayed a planned exercise by several days, the statement said.",
        "The initiative is part of a broader effort to consolidate data centres across the agency.",
        "Critics argue that the schedule is ambitious given staffing shortages in the technical units.",
        "Training for the new system is scheduled to begin in the spring at two regional sites.",
    ],
    "fr": [
        "Le ministère a indiqué que le programme serait réexaminé avant la fin de l'année budgétaire.",
        "Plusieurs élus ont demandé des précisions sur le calendrier et le coût total du projet.",
        "Selon le rapport, les équipes techniques manquent encore de personnel qualifié.",
        "La direction générale a présenté un plan de modernisation des systèmes d'information.",
        "Les essais prévus au printemps ont été reportés en raison des conditions météorologiques.",
        "Un porte-parole a refusé de commenter les négociations en cours avec les industriels.",
    ],
    "de": [
        "Das Ministerium teilte mit, das Programm werde vor Ende des Haushaltsjahres erneut geprüft.",
        "Mehrere Abgeordnete forderten Auskunft über den Zeitplan und die Gesamtkosten des Projekts.",
        "Laut dem Bericht fehlt es den technischen Einheiten weiterhin an qualifiziertem Personal.",
        "Die Behörde stellte einen Plan zur Modernisierung ihrer Rechenzentren vor.",
        "Die für das Frühjahr geplanten Tests wurden wegen des Wetters verschoben.",
        "Ein Sprecher wollte sich zu den laufenden Verhandlungen nicht äußern.",
    ],
    "es": [
        "El ministerio indicó que el programa se revisará antes del final del año fiscal.",
        "Varios diputados pidieron aclaraciones sobre el calendario y el coste total del proyecto.",
        "Según el informe, las unidades técnicas siguen careciendo de personal cualificado.",
        "La dirección presentó un plan para modernizar sus sistemas de información.",
        "Las pruebas previstas para la primavera se aplazaron por las condiciones meteorológicas.",
        "Un portavoz declinó comentar las negociaciones en curso con la industria.",
    ],
    "ru": [
        "В министерстве сообщили, что программа будет пересмотрена до конца финансового года.",
        "Несколько депутатов запросили сведения о сроках и общей стоимости проекта.",
        "Согласно докладу, техническим подразделениям по-прежнему не хватает специалистов.",
        "Ведомство представило план модернизации своих центров обработки данных.",
        "Запланированные на весну испытания были перенесены из-за погодных условий.",
        "Представитель ведомства отказался комментировать ход переговоров.",
    ],
    "zh": [
        "该部门表示，将在本财政年度结束前再次审查该计划。",
        "多名代表要求说明项目的时间表和总成本。",
        "报告指出，技术部门仍然缺乏合格的专业人员。",
        "该机构提出了数据中心现代化的计划。",
        "原定于春季进行的测试因天气原因推迟。",
        "一名发言人拒绝就正在进行的谈判发表评论。",
    ],
    "ja": [
        "同省は、会計年度末までに計画を再検討すると発表した。",
        "複数の議員が事業のスケジュールと総費用について説明を求めた。",
        "報告書によると、技術部門では依然として専門人材が不足している。",
        "同庁はデータセンターの近代化計画を示した。",
        "春に予定されていた試験は天候の影響で延期された。",
        "広報担当者は交渉の状況についてコメントを控えた。",
    ],
}
LANGUAGES = ["en", "en", "en", "en", "fr", "de", "es", "ru", "zh", "ja"]

# Relevant reports: (vendor, model, recipient, partner, country sentence) built from names in
# the project's alias tables, so the events layer finds real events in a share of the pages.
SUPPLIES = [
    ("Anthropic", "Claude Gov", "the U.S. Army", "AWS"),
    ("OpenAI", "ChatGPT Enterprise", "the Pentagon", "Microsoft"),
    ("Mistral AI", "Mistral Large", "the French Ministry of Armed Forces", "Helsing"),
    ("Meta", "Llama", "NATO", "Accenture"),
    ("Google", "Gemini", "the U.S. Air Force", "Palantir"),
    ("Cohere", "Command R", "the Canadian Department of National Defence", "Oracle"),
    ("Aleph Alpha", "Luminous", "the Bundeswehr", "SAP"),
]
# Every ninth page is a report; three reports (outlets) cover one event, as real announcements
# get a handful of reports. Events of the same supply lie two weeks apart (beyond the day merge
# window), so the timeline grows with N instead of piling reports onto a few events.
REPORTS_PER_EVENT = 3
SITE_SEED = 11  # the bench site's pages; bench/floor.py rebuilds the same bytes from it
FIRST_EVENT = date(2016, 1, 4)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _para(rng: random.Random, lang: str, n: int) -> str:
    bank = SENTENCES[lang]
    sep = "" if lang in ("zh", "ja") else " "
    return sep.join(rng.choice(bank) for _ in range(n))


def _boilerplate_head(rng: random.Random, title: str, base: str, path: str, lang: str,
                      published: str) -> str:
    scripts = "\n".join(
        f"<script>window.__cfg{i}={{\"site\":\"bench\",\"slot\":{i},\"ads\":[{','.join(str(rng.randint(100, 999)) for _ in range(40))}]}};"
        f"(function(){{var s=document.createElement('script');s.src='/static/a{i}.js';document.head.appendChild(s);}})();</script>"
        for i in range(6))
    styles = "<style>" + " ".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i * 1234 % 0xffffff:06x}}}"
                                  for i in range(220)) + "</style>"
    return (
        f"<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\n"
        f"<title>{escape(title)} | Bench Daily</title>\n"
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<meta property=\"og:title\" content=\"{escape(title)}\">\n"
        f"<meta property=\"article:published_time\" content=\"{published}T08:00:00Z\">\n"
        f"<link rel=\"canonical\" href=\"{base}{path}\">\n"
        f"<script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"{escape(title)}\","
        f"\"datePublished\":\"{published}T08:00:00Z\"}}</script>\n{styles}\n{scripts}\n</head>\n"
    )


def _nav(rng: random.Random) -> str:
    sections = ["World", "Defense", "Technology", "Policy", "Business", "Science", "Opinion",
                "Video", "Podcasts", "Newsletters", "Events", "Jobs"]
    links = "".join(f"<li class=\"c{i}\"><a href=\"/{s.lower()}\">{s}</a></li>" for i, s in enumerate(sections))
    mega = "".join(f"<li><a href=\"/topic/{rng.randint(1000, 9999)}\">Topic {rng.randint(1, 500)}</a></li>"
                   for _ in range(60))
    return (f"<header><div class=\"cookie\">We use cookies to improve your experience. "
            f"<button>Accept all</button> <button>Settings</button></div>"
            f"<nav><ul>{links}</ul><ul class=\"mega\">{mega}</ul></nav>"
            f"<div class=\"promo\">Subscribe to our morning briefing for the day's top stories.</div></header>\n")


def _footer(rng: random.Random) -> str:
    related = "".join(
        f"<li><a href=\"/story/{rng.randint(10000, 99999)}\">{escape(_para(rng, 'en', 1)[:70])}</a></li>"
        for _ in range(25))
    legal = "".join(f"<a href=\"/legal/{i}\">Legal {i}</a> " for i in range(30))
    return (f"<aside><h3>Most read</h3><ol>{related}</ol></aside>\n"
            f"<footer><p>© Bench Daily. All rights reserved.</p><p>{legal}</p></footer>\n"
            f"<script>/* analytics */var _q=[];for(var i=0;i<10;i++){{_q.push(i)}}</script>\n")


def _cards(rng: random.Random, lang: str) -> str:
    """Related-story cards: deep, repetitive markup like real recommendation widgets."""
    cards = []
    for i in range(36):
        title = escape(_para(rng, lang, 1)[:80])
        cards.append(
            f"<div class=\"card c{i % 50}\"><div class=\"card-inner\"><a class=\"thumb\" href=\"/story/{rng.randint(10000, 99999)}\">"
            f"<picture><source srcset=\"/img/{i}.webp 1x, /img/{i}@2x.webp 2x\" type=\"image/webp\">"
            f"<img src=\"/img/{i}.jpg\" alt=\"\" loading=\"lazy\" width=\"320\" height=\"180\"></picture></a>"
            f"<div class=\"meta\"><span class=\"kicker\">Sponsored</span><h4><a href=\"/story/{i}\">{title}</a></h4>"
            f"<span class=\"time\">{rng.randint(1, 59)} min ago</span></div></div></div>")
    return "<section class=\"related\"><h3>Recommended for you</h3>" + "".join(cards) + "</section>\n"


def _comments(rng: random.Random, lang: str) -> str:
    items = "".join(
        f"<li class=\"comment\"><div class=\"avatar\"><img src=\"/u/{rng.randint(1, 9999)}.png\" alt=\"\"></div>"
        f"<div class=\"body\"><span class=\"author\">reader{rng.randint(1, 9999)}</span> "
        f"<p>{escape(_para(rng, lang, 1))}</p><div class=\"actions\"><button>Reply</button>"
        f"<button>Like ({rng.randint(0, 99)})</button><button>Report</button></div></div></li>"
        for _ in range(14))
    return f"<section class=\"comments\"><h3>Comments</h3><ol>{items}</ol></section>\n"


SVG_SPRITE = "<svg style=\"display:none\">" + "".join(
    f"<symbol id=\"i{i}\" viewBox=\"0 0 24 24\"><path d=\"M{i} 2L{22 - i % 20} 12L{i} 22Z M4 {i % 20} h16\"/></symbol>"
    for i in range(60)) + "</svg>\n"


def article_path(index: int) -> str:
    return f"/news/{index:06d}.html"


def article_page(index: int, base: str, path: str, seed: int = 0, relevant: bool | None = None,
                 lang: str | None = None, widgets: bool = True) -> tuple[str, str, str]:
    """(html, title, published) for article number `index`; `widgets=False` leaves out the
    comment thread, recommendation cards and icon sprite (~22 KB instead of ~48 KB)."""
    rng = random.Random(seed * 1_000_003 + index)
    lang = lang or LANGUAGES[index % len(LANGUAGES)]
    relevant = (index % 9 == 0) if relevant is None else relevant
    year = 2024 + index % 2
    month = 1 + index % 12
    day = 1 + index % 28
    published = f"{year}-{month:02d}-{day:02d}"
    paras = [_para(rng, lang, rng.randint(3, 6)) for _ in range(rng.randint(5, 9))]
    if relevant:
        event = index // (9 * REPORTS_PER_EVENT)
        vendor, model, recipient, partner = SUPPLIES[event % len(SUPPLIES)]
        when = FIRST_EVENT + timedelta(days=14 * (event // len(SUPPLIES)))
        published = (when + timedelta(days=index // 9 % 3)).isoformat()
        lang = "en"
        title = f"{recipient[4:] if recipient.startswith('the ') else recipient} awards {vendor} contract for {model} (report {index})"
        lead = (f"{recipient[0].upper()}{recipient[1:]} on {MONTHS[when.month - 1]} {when.day}, {when.year} awarded {vendor} "
                f"a ${rng.randint(2, 90)} million contract to deploy {model} for its analysts, "
                f"with {partner} hosting and integrating the service.")
        paras = [lead] + [_para(rng, "en", rng.randint(3, 6)) for _ in range(rng.randint(4, 8))]
    else:
        title = _para(rng, lang, 1)[:90].rstrip(". 。") + f" ({index})"
    body = "".join(f"<p>{escape(p)}</p>\n" for p in paras)
    extras = (SVG_SPRITE, _comments(rng, lang), _cards(rng, lang)) if widgets else ("", "", "")
    html = (_boilerplate_head(rng, title, base, path, lang, published) + "<body>\n" + extras[0]
            + _nav(rng)
            + f"<main><article><h1>{escape(title)}</h1>\n<div class=\"byline\">By Staff Writer</div>\n"
            + body + "</article>\n" + extras[1] + "</main>\n" + extras[2]
            + _footer(rng) + "</body></html>\n")
    return html, title, published


def rss(items: list[tuple[str, str, str]], title: str = "Bench Daily", base: str = "") -> str:
    """RSS 2.0 with (link, title, YYYY-MM-DD) items."""
    out = [f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
           f"<title>{escape(title)}</title><link>{escape(base)}/</link><description>bench</description>"]
    for link, item_title, published in items:
        y, m, d = (int(x) for x in published.split("-"))
        day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][__import__("datetime").date(y, m, d).weekday()]
        out.append(f"<item><title>{escape(item_title)}</title><link>{escape(link)}</link>"
                   f"<guid>{escape(link)}</guid><pubDate>{day}, {d:02d} "
                   f"{['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][m - 1]} "
                   f"{y} 08:00:00 GMT</pubDate></item>")
    out.append("</channel></rss>\n")
    return "\n".join(out)
