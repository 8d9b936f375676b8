"""The benchmark's extraction floor must measure the very bytes the bench site serves."""

from __future__ import annotations

from bench.floor import page, spread
from bench.run import make_site

BASE = "http://127.0.0.1:8765"


def test_floor_rebuilds_the_served_pages():
    routes, feeds = make_site(30, BASE)
    assert feeds == ["/feed-0.xml"]
    for index in (0, 9, 17, 29):  # 0 and 9: supply reports; 17, 29: other languages
        url, body = page(index, BASE)
        assert routes[url.removeprefix(BASE)] == body


def test_floor_visits_every_page_once_spread_over_the_site():
    for n in (1, 30, 77, 2000):
        order = list(spread(n))
        assert sorted(order) == list(range(n))
    assert max(list(spread(2000))[:20]) > 100  # early samples are not all from the start
