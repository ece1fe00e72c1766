"""The runs of `make bench` beyond the route table: the directory under edits, the first
answer after a change, and the cost as the directory grows (a table and an SVG chart
written beside docs/benchmarks.md)."""

import json
import re
import statistics
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

EDIT_PREFIX = "EDIT "
EDIT_MARK = " · édition "
EDIT_SHOWN = re.compile(re.escape(EDIT_MARK) + r"(\d+)")
GROWTH_ROUTES = ("directory, page 1", "search", "facet (sector)", "API list JSON")
CHART_COLOURS = ("#1f5fa8", "#b5461b", "#2f7d32", "#7b3fa0")


def under_edits(bench, *, paths: list[str], duration: int, staleness: int) -> dict:
    """Measure `paths` at 8 connections while one record is saved a second, and how old
    the directory's first page ever was: the time since the first edit it does not show."""
    editor = subprocess.Popen(
        [str(bench.python), "manage.py", "bench_setup", "edits", "--seconds", str(duration + 1)],
        cwd=bench.base_dir,
        env=bench.env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    edits: dict[int, float] = {}
    polls: list[tuple[float, int]] = []
    stop = threading.Event()

    def read_edits():
        for line in editor.stdout:
            if line.startswith(EDIT_PREFIX):
                number, moment = line[len(EDIT_PREFIX) :].split()
                edits[int(number)] = float(moment)

    def poll():
        while not stop.is_set():
            with urllib.request.urlopen(bench.base + "/fr/entreprises/", timeout=60) as answer:  # noqa: S310
                page = answer.read().decode()
            found = EDIT_SHOWN.search(page)
            polls.append((time.time(), int(found.group(1)) if found else 0))
            stop.wait(0.2)

    threads = [threading.Thread(target=read_edits), threading.Thread(target=poll)]
    for thread in threads:
        thread.start()
    try:
        measure = bench.load(paths, connections=8, duration=duration)
    finally:
        stop.set()
        editor.wait(timeout=120)
        for thread in threads:
            thread.join(timeout=60)
    oldest = 0.0
    for moment, shown in polls:
        missed = edits.get(shown + 1)
        if missed is not None and missed < moment:
            oldest = max(oldest, moment - missed)
    return {
        "measure": measure,
        "edits": len(edits),
        "polls": len(polls),
        "oldest": oldest,
        "staleness": staleness,
    }


AFTER_CHANGE_ROUNDS = 7


def after_change(bench, routes) -> dict[str, list[float] | int]:
    """Each route's answer time right after a change, one request at a time in one process
    (`manage.py bench_setup after-change`): nothing of the previous generation served."""
    result = subprocess.run(
        [
            str(bench.python),
            "manage.py",
            "bench_setup",
            "after-change",
            "--rounds",
            str(AFTER_CHANGE_ROUNDS),
            *[route.path for route in routes],
        ],
        cwd=bench.base_dir,
        env=bench.env(PUBLIC_CACHE_SECONDS=0, PUBLIC_CACHE_STALE_SECONDS=0),
        capture_output=True,
        text=True,
        check=True,
    )
    by_path = json.loads(result.stdout)
    return {route.name: by_path[route.path] for route in routes}


def after_change_lines(timings: dict[str, list[float] | int], *, budget_ms: int) -> list[str]:
    lines = [
        "",
        "## The first answer after a change",
        "",
        "With the page cache off, what is derived from the whole directory (facet counts, a "
        "search's first pages of results, the map's clusters, the home page's figures) is kept "
        "until the next change, and after one a single request makes it again while the "
        "others are served the previous value for up to PUBLIC_CACHE_STALE_SECONDS; the "
        "search vocabulary is kept for SEARCH_VOCABULARY_SECONDS whatever changes. Here "
        "nothing is served stale: each request follows a "
        f"change, one at a time, in one process ({AFTER_CHANGE_ROUNDS} times a route; "
        "milliseconds): what the first visitor after a save waits for on an idle server.",
        "",
        "| route | median | slowest | under the page budget |",
        "|---|---:|---:|---|",
    ]
    for name, times in timings.items():
        if isinstance(times, int):
            lines.append(f"| {name} | answers {times} | | |")
            continue
        slowest = max(times)
        verdict = "yes" if slowest < budget_ms else "no"
        lines.append(f"| {name} | {statistics.median(times):.1f} | {slowest:.1f} | {verdict} |")
    return lines


def edits_lines(result: dict, *, budget_ms: int) -> list[str]:
    m = result["measure"]
    verdict = "met" if m.p95 < budget_ms else "MISSED"
    fresh = "met" if result["oldest"] <= result["staleness"] else "MISSED"
    return [
        "",
        "## Directory under edits",
        "",
        "Directory page 1, a search, a two-word search and a facet, mixed, at 8 connections "
        "with the cache on, while staff save one enterprise a second (each save starts a new "
        "generation). A poller reads the directory's first page five times a second and "
        "notes how long ago the first save it does not show yet was committed.",
        "",
        "| req/s | p50 | p95 | p99 | not 2xx | saves | polls | oldest answer (s) "
        "| staleness allowed (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {m.rps:,.0f} | {m.p50:.1f} | {m.p95:.1f} | {m.p99:.1f} | {m.not_ok} | "
        f"{result['edits']} | {result['polls']} | {result['oldest']:.1f} | "
        f"{result['staleness']} |",
        "",
        f"- p95 {m.p95:.1f} ms (< {budget_ms}): {verdict}; no answer older than the "
        f"configured staleness: {fresh}",
        "",
    ]


def growth_lines(results: dict[int, dict], *, chart: Path, load: dict[int, str]) -> list[str]:
    """`results[count][route]` is the Measure of that route, uncached, 8 connections."""
    counts = sorted(results)
    lines = [
        "",
        "## Growth (uncached, 8 connections)",
        "",
        "p95 in milliseconds (req/s in brackets) with the public cache off, at each size of "
        "the directory; the load average of the machine when each size was measured beside it.",
        "",
        "| route | " + " | ".join(f"{count:,}" for count in counts) + " | growth |",
        "|---|" + "---:|" * (len(counts) + 1),
    ]
    for route in GROWTH_ROUTES:
        cells, p95s = [], []
        for count in counts:
            m = results[count].get(route)
            cells.append(f"{m.p95:.1f} ({m.rps:,.0f})" if m else "–")
            p95s.append(m.p95 if m else None)
        growth = f"{p95s[-1] / p95s[0]:.1f}×" if p95s[0] and p95s[-1] else "–"
        lines.append(f"| {route} | " + " | ".join(cells) + f" | {growth} |")
    lines.append("| load average (1 min) | " + " | ".join(load[c] for c in counts) + " | |")
    lines += ["", f"![p95 as the directory grows]({chart.name})", ""]
    return lines


def write_chart(results: dict[int, dict], path: Path) -> None:
    """A small SVG line chart: p95 against the number of enterprises, one line per route."""
    counts = sorted(results)
    width, height, left, bottom, top, right = 560, 300, 56, 40, 16, 190
    highest = max((m.p95 for by_route in results.values() for m in by_route.values()), default=1.0)
    highest = max(highest, 1.0) * 1.1

    def x(i: int) -> float:
        return left + i * (width - left - right) / max(len(counts) - 1, 1)

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / highest)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#555"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{y(0):.1f}" stroke="#555"/>',
        f'<text x="8" y="{top + 4}">{highest:.0f} ms</text>',
        f'<text x="8" y="{y(0):.1f}">0</text>',
    ]
    for i, count in enumerate(counts):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 18}" text-anchor="middle">{count:,}</text>'
        )
    parts.append(
        f'<text x="{(left + width - right) / 2:.1f}" y="{height - 4}" text-anchor="middle">'
        "published enterprises (p95, uncached, 8 connections)</text>"
    )
    for n, (route, colour) in enumerate(zip(GROWTH_ROUTES, CHART_COLOURS, strict=True)):
        points = [
            (x(i), y(results[count][route].p95))
            for i, count in enumerate(counts)
            if route in results[count]
        ]
        if not points:
            continue
        coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        line = f'fill="none" stroke="{colour}" stroke-width="2"'
        parts.append(f'<polyline points="{coords}" {line}/>')
        parts += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>' for a, b in points]
        legend_y = top + 14 + n * 18
        parts.append(
            f'<line x1="{width - right + 12}" y1="{legend_y - 4}" x2="{width - right + 30}" '
            f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="2"/>'
        )
        parts.append(f'<text x="{width - right + 36}" y="{legend_y}">{route}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n")
