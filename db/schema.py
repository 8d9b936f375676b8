"""The schema as it is now, for the code that reads and writes it (the store, the pages).

Migrations never read these names: each keeps the tables and SQL of its own time
(db/migrations.py), so editing what the timeline shows now cannot change what an old
migration did. A change here that needs the stored rows changed comes with a new migration.
"""

from __future__ import annotations

from sqlite_utils import Database

LINK_TABLES = {  # link table -> (its value column, the entity table it points to)
    "event_vendors": ("vendor_id", "vendors"),
    "event_models": ("model_id", "models"),
    "event_countries": ("country_code", "countries"),
    "event_agencies": ("agency_id", "agencies"),
    "event_partners": ("partner_id", "partners"),
}
FACT_TABLES = ("event_facts", "event_stages")  # a report's deal facts and stage
# The timeline's list columns with a facet (kept in timeline_values by triggers).
FACET_COLUMNS = ("vendors", "models", "countries", "agencies", "partners")
# Event field -> (link table, its value column, entity table, the label shown, its key).
REPORTED = {"vendors": ("event_vendors", "vendor_id", "vendors", "name", "id"),
            "models": ("event_models", "model_id", "models", "name", "id"),
            "countries": ("event_countries", "country_code", "countries", "code", "code"),
            "agencies": ("event_agencies", "agency_id", "agencies", "name", "id"),
            "partners": ("event_partners", "partner_id", "partners", "name", "id")}
# What a merged event's row shows of its deal, in `events` (filled by the store).
DEAL_COLUMNS = ("value_kind", "value_amount", "value_currency", "value_usd", "vehicle",
                "security_level", "security_said_by", "stage", "stages")


def _every_report(link: str, column: str, target: str, label: str, pk: str = "id") -> str:
    """SQL: the labels any report of event `e` names."""
    return (
        f"(SELECT json_group_array({label}) FROM (SELECT DISTINCT t.{label} AS {label} "
        f"FROM {link} l JOIN {target} t ON t.{pk} = l.{column} "
        f"WHERE l.event_id = e.id ORDER BY t.{label}))"
    )


def _majority(link: str, column: str, target: str, label: str, pk: str = "id") -> str:
    """SQL: the labels at least half of the reports of event `e` name."""
    return f"""(SELECT json_group_array({label}) FROM (
    SELECT t.{label} AS {label} FROM {link} l JOIN {target} t ON t.{pk} = l.{column}
    WHERE l.event_id = e.id GROUP BY t.{label}
    HAVING 2 * count(DISTINCT l.article_id) >= (SELECT count(DISTINCT ea.article_id)
        FROM event_articles ea WHERE ea.event_id = e.id)
    ORDER BY t.{label}))"""


# Outlets list delivery partners or leave them out: a report that names no partner says nothing
# against those the others name, so `partners` counts only the reports that name any.
PARTNERS_BY_REPORTERS = """(SELECT json_group_array(name) FROM (
    SELECT t.name AS name FROM event_partners l JOIN partners t ON t.id = l.partner_id
    WHERE l.event_id = e.id GROUP BY t.name
    HAVING 2 * count(DISTINCT l.article_id) >= (SELECT count(DISTINCT named.article_id)
        FROM event_partners named WHERE named.event_id = e.id)
    ORDER BY t.name))"""

# The timeline's columns materialised on `events`: column -> SQL of its value for event `e`.
TIMELINE_COLUMNS = {
    **{field: _majority(*REPORTED[field]) for field in
       ("vendors", "models", "countries", "agencies")},
    "partners": PARTNERS_BY_REPORTERS,
    "urls": """(SELECT json_group_array(url) FROM (SELECT DISTINCT a.url AS url
        FROM event_articles ea JOIN articles a ON a.id = ea.article_id
        WHERE ea.event_id = e.id ORDER BY a.url))""",
    "country_names": """(SELECT json_group_array(name) FROM (SELECT DISTINCT t.code AS code,
        t.name AS name FROM event_countries l JOIN countries t ON t.code = l.country_code
        WHERE l.event_id = e.id ORDER BY t.code))""",
    "source_count": """(SELECT count(DISTINCT ea.article_id) FROM event_articles ea
        WHERE ea.event_id = e.id)""",
    **{f"{field}_reported": _every_report(*REPORTED[field]) for field in
       ("partners", "vendors", "models", "countries", "agencies")},
}


def refresh_timeline_columns(db: Database, event_ids: list[str] | None = None) -> None:
    """Recompute the timeline columns of some events (all when event_ids is None)."""
    assignments = ", ".join(f"{column} = {sql}" for column, sql in TIMELINE_COLUMNS.items())
    update = (f"UPDATE events AS e SET {assignments}, "
              "month = substr(e.event_date, 1, 7)")
    if event_ids is None:
        db.execute(update)
        return
    for event_id in event_ids:
        db.execute(update + " WHERE e.id = ?", [event_id])
