"""Unit tests: the body guard (first pipeline stage) and the charset second opinion."""

from __future__ import annotations

import contextlib

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from tracker.extract.charset import decode_html
from tracker.items import ArticleItem, DiscoveryItem
from tracker.pipelines.guard import BodyGuardPipeline, looks_binary

FRENCH = ("<html><head><meta charset='utf-8'><title>Café déjà vu</title></head><body><p>"
          + "Le ministère a présenté le programme à l’Assemblée. " * 8 + "</p></body></html>")
RUSSIAN = ("<html><head><title>Министерство обороны</title></head><body><p>"
           + "В министерстве сообщили, что программа будет пересмотрена. " * 8
           + "</p></body></html>")


def guard(max_bytes: int = 1000) -> BodyGuardPipeline:
    crawler = get_crawler(settings_dict={"TRACKER_EXTRACT_MAX_BYTES": max_bytes})
    crawler.stats.open_spider()
    return BodyGuardPipeline.from_crawler(crawler)


def item(body: bytes, encoding: str = "utf-8") -> ArticleItem:
    return ArticleItem(url="https://example.org/a", source="s", body=body, encoding=encoding)


def test_empty_and_binary_bodies_are_dropped_and_counted():
    pipeline = guard()
    for body in (b"", b"   \n  "):
        with pytest.raises(DropItem, match="empty body"):
            pipeline.process_item(item(body))
    with pytest.raises(DropItem, match="binary body"):
        pipeline.process_item(item(b"%PDF-1.7\n" + bytes(range(256)) * 10))
    stats = pipeline.crawler.stats
    assert stats.get_value("tracker/dropped/empty_body") == 2
    assert stats.get_value("tracker/dropped/binary_body") == 1


def test_large_bodies_are_cut_before_extraction():
    pipeline = guard(max_bytes=1000)
    out = pipeline.process_item(item(b"<p>" + b"x" * 5000))
    assert len(out.body) == 1000
    assert pipeline.crawler.stats.get_value("tracker/body_truncated") == 1
    small = pipeline.process_item(item(b"<p>fine</p>"))
    assert small.body == b"<p>fine</p>"


def test_discovery_items_pass_untouched():
    pipeline = guard()
    listed = DiscoveryItem(source="s", kind="googlenews", key="k", link="https://example.org")
    assert pipeline.process_item(listed) is listed


def test_binary_sniffing():
    assert looks_binary(b"\x00\x01\x02" * 100, "utf-8")
    assert not looks_binary("texte accentué\tavec\r\nretours".encode(), "utf-8")
    assert not looks_binary("\ufeffhello".encode("utf-16-le"), "utf-16-le")  # NULs are normal
    assert not looks_binary("ISO-2022 \x1b$B".encode("latin-1"), "iso-2022-jp")


@pytest.mark.parametrize("body, label, expected_text, expected_label", [
    (FRENCH.encode("utf-8"), "utf-8", "Café déjà vu", "utf-8"),              # correct label
    (FRENCH.encode("cp1252"), "utf-8", "Café déjà vu", "cp1252"),             # cp1252 sent as UTF-8
    (FRENCH.encode("cp1252"), "cp1252", "Café déjà vu", "cp1252"),            # declared cp1252
    (RUSSIAN.encode("cp1251"), "cp1252", "Министерство обороны", None),       # undeclared 1251
    (RUSSIAN.encode("cp1251"), "utf-8", "Министерство обороны", None),        # 1251 sent as UTF-8
    (RUSSIAN.encode("utf-8"), "utf-8", "Министерство обороны", "utf-8"),
])
def test_charset_second_opinion(body, label, expected_text, expected_label):
    text, used = decode_html(body, label)
    assert expected_text in text and "\ufffd" not in text
    if expected_label:
        assert used == expected_label


def test_an_item_in_the_log_shows_its_url_not_its_body():
    logged = repr(item(b"<p>" + b"x" * 5_000_000 + b"</p>"))
    assert len(logged) < 200 and "https://example.org/a" in logged and "5000007 bytes" in logged


@pytest.mark.slow  # kills a worker process and waits for its replacement
def test_a_dead_extraction_worker_is_replaced_and_the_item_retried():
    """The OOM killer (or anyone) kills the worker: the items waiting on it are extracted by a
    new worker, not dropped, and the death is counted."""
    import asyncio
    import os
    import signal

    import psutil

    from tracker.pipelines import extract

    crawler = get_crawler()
    crawler.stats.open_spider()
    pipeline = extract.ExtractPipeline(crawler, workers=1)
    pipeline.open_spider()

    async def scenario():
        first = await pipeline.process_item(item(FRENCH.encode()))
        [dead] = pipeline.pool.pids()
        os.kill(dead, signal.SIGSTOP)  # killed while it holds the next page
        waiting = asyncio.ensure_future(pipeline.process_item(item(RUSSIAN.encode())))
        await asyncio.sleep(0.2)
        os.kill(dead, signal.SIGKILL)
        second = await asyncio.wait_for(waiting, 30)
        [replacement] = pipeline.pool.pids()
        pipeline.close_spider()  # end of input: the worker exits by itself
        await asyncio.sleep(0)
        return first, second, dead, replacement

    first, second, dead, replacement = asyncio.run(scenario())
    assert first.article["title"] == "Café déjà vu"
    assert second.article["language"] == "ru"
    assert replacement != dead
    assert crawler.stats.get_value("tracker/extract_worker_died") == 1
    assert crawler.stats.get_value("tracker/extract_error") is None
    assert pipeline.pool is None  # the replacement was closed with the pipeline
    with contextlib.suppress(psutil.NoSuchProcess):  # already gone: what the test wants
        psutil.Process(replacement).wait(10)  # TimeoutExpired if it outlives its input


def test_an_exception_in_the_worker_reaches_the_pipeline_as_a_dropped_item(monkeypatch):
    """A page that makes extraction raise is dropped and counted; the worker lives on."""
    import asyncio

    from tracker.pipelines import extract

    crawler = get_crawler()
    crawler.stats.open_spider()
    pipeline = extract.ExtractPipeline(crawler, workers=1)
    pipeline.open_spider()

    async def scenario():
        with pytest.raises(DropItem, match="extraction failed for https://example.org/a: "
                                           "AttributeError"):
            await pipeline.process_item(item("not bytes"))  # type: ignore[arg-type]
        after = await pipeline.process_item(item(FRENCH.encode()))
        pids = pipeline.pool.pids()
        pipeline.close_spider()
        return after, pids

    after, pids = asyncio.run(scenario())
    assert after.article["title"] == "Café déjà vu" and len(pids) == 1
    assert crawler.stats.get_value("tracker/extract_error") == 1
    assert crawler.stats.get_value("tracker/extract_worker_died") is None


def test_workers_closed_after_their_event_loop_still_end():
    """A caller may close the workers once its event loop is gone: the pipe is closed directly
    and the worker, at end of input, exits."""
    import asyncio

    import psutil

    from tracker.ops.workers import PipeWorkers

    workers = PipeWorkers(len, 1)

    async def use():
        return await workers.call(b"four"), workers.pids()

    answer, [pid] = asyncio.run(use())
    workers.close()
    assert answer == 4 and workers.pids() == []
    with contextlib.suppress(psutil.NoSuchProcess):  # already gone: what the test wants
        psutil.Process(pid).wait(10)  # TimeoutExpired if it outlives its input
