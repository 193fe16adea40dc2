"""Static SVG charts and the recipients map, drawn at build time (no chart script in the browser).

Each SVG has a <title> and <desc> for screen readers and sits next to a data table or download.
Colours are CSS classes defined in tracker.css, so the charts follow the light and dark schemes.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from . import urls
from .i18n import Messages
from .model import Country, Dataset, Deal

CATEGORY_GROUPS = {
    "uav": "air", "loitering-munition": "air", "combat-aircraft": "air", "trainer-aircraft": "air",
    "helicopter": "air", "armored-vehicle": "land", "artillery": "land", "small-arms": "land",
    "naval-vessel": "naval", "missile": "missiles", "air-defense": "missiles", "munitions": "munitions",
    "ammunition-plant": "munitions", "electronics": "other", "services": "other", "other": "other",
}
GROUPS = ("air", "land", "naval", "missiles", "munitions", "other")  # named by charts.groups.<group> in the catalogue


def svg_open(chart_id: str, width: int, height: int, title: str, description: str, css: str = "tdet-chart",
             role: str = "img") -> str:
    return (f'<svg class="{css}" id="{chart_id}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="{role}" aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>')


def nice_max(value: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if value <= step * 5:
            return step * 5
    return value


def grouped_bars(chart_id: str, title: str, description: str, years: list[int],
                 series: dict[str, dict[int, float]], unit: str, t: Messages) -> str:
    width, height, left, bottom, top = 720, 300, 56, 40, 30
    plot_w, plot_h = width - left - 10, height - top - bottom
    peak = nice_max(max((v for s in series.values() for v in s.values()), default=1))
    slot = plot_w / max(len(years), 1)
    bar = max(2.0, slot / (len(series) + 1))
    parts = [svg_open(chart_id, width, height, title, description)]
    for tick in range(6):
        value = peak * tick / 5
        y = top + plot_h - plot_h * tick / 5
        parts.append(f'<line class="axis" x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke-opacity="0.3"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                     f'{t.number(round(value))}</text>')
    for index, year in enumerate(years):
        x0 = left + index * slot + bar / 2
        for offset, (name, values) in enumerate(series.items()):
            if year in values:
                h = plot_h * values[year] / peak
                parts.append(f'<rect class="tdet-series-{name}" x="{x0 + offset * bar:.1f}" y="{top + plot_h - h:.1f}" '
                             f'width="{bar:.1f}" height="{h:.1f}"><title>{year}, {escape(name.upper())}: '
                             f'{t.number(round(values[year]))} {escape(unit)}</title></rect>')
        if len(years) <= 12 or index % 2 == 0:
            parts.append(f'<text x="{x0 + bar * len(series) / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                         f'font-size="11">{year}</text>')
    parts.append(f'<text x="{left}" y="16" font-size="12">{escape(unit)}</text>')
    legend_x = left + 120
    for name in series:
        parts.append(f'<rect class="tdet-series-{name}" x="{legend_x}" y="6" width="12" height="12"/>'
                     f'<text x="{legend_x + 16}" y="16" font-size="12">'
                     f'{escape(t.plain(f"charts.series.{name}"))}</text>')
        legend_x += 260
    parts.append("</svg>")
    return "".join(parts)


def annual_totals_chart(dataset: Dataset, t: Messages) -> tuple[str, list[dict[str, Any]]]:
    """SSB and TİM series side by side (never summed or merged), and the rows it draws."""
    series: dict[str, dict[int, float]] = {"ssb": {}, "tim": {}}
    rows = []
    for total in dataset.totals:
        if total["series"] in series and total["year"] not in series[total["series"]]:
            series[total["series"]][total["year"]] = total["amount_million_usd"]
            rows.append(total)
    years = sorted({year for values in series.values() for year in values})
    description = t.plain("charts.annual_description", ranges="; ".join(
        f"{name.upper()} {min(v)}–{max(v)}" for name, v in series.items() if v))
    svg = grouped_bars("chart-annual-totals", t.plain("charts.annual_title"), description,
                       years, series, t.plain("charts.million_usd"), t)
    return svg, rows


def deal_year(deal: Deal) -> int:
    """The year a deal was made: its first contract or agreement, else its first event."""
    dates = [e["date"] for e in deal["events"] if e["type"] in ("contract", "agreement")] or [deal.first_date]
    return int(min(dates)[:4])


def deals_by_year_chart(dataset: Dataset, t: Messages) -> tuple[str, dict[int, Counter]]:
    counts: dict[int, Counter] = defaultdict(Counter)
    for deal in dataset.deals.values():
        group = CATEGORY_GROUPS[dataset.systems[deal.systems[0]]["category"]]
        counts[deal_year(deal)][group] += 1
    years = list(range(min(counts), max(counts) + 1)) if counts else []
    width, height, left, bottom, top = 720, 320, 40, 40, 50
    plot_w, plot_h = width - left - 10, height - top - bottom
    peak = nice_max(max((sum(c.values()) for c in counts.values()), default=1))
    slot = plot_w / max(len(years), 1)
    group_names = {g: t.plain(f"charts.groups.{g}") for g in GROUPS}
    description = t.plain("charts.by_year_description", first=years[0] if years else "",
                          last=years[-1] if years else "", counts=", ".join(
                              f"{group_names[g]} {sum(c[g] for c in counts.values())}" for g in GROUPS))
    parts = [svg_open("chart-deals-by-year", width, height, t.plain("charts.by_year_title"), description)]
    for tick in range(6):
        y = top + plot_h - plot_h * tick / 5
        parts.append(f'<line class="axis" x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke-opacity="0.3"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                     f'{peak * tick / 5:.0f}</text>')
    for index, year in enumerate(years):
        x = left + index * slot + slot * 0.15
        y = top + plot_h
        for group in GROUPS:
            count = counts.get(year, Counter())[group]
            if count:
                h = plot_h * count / peak
                y -= h
                parts.append(f'<rect class="tdet-group-{group}" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                             f'height="{h:.1f}"><title>{year}: {count} {escape(group_names[group])}</title></rect>')
        if index % max(1, len(years) // 12) == 0:
            parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                         f'font-size="11">{year}</text>')
    for index, (group, name) in enumerate(group_names.items()):
        lx, ly = left + (index % 3) * 220, 10 + (index // 3) * 18
        parts.append(f'<rect class="tdet-group-{group}" x="{lx}" y="{ly}" width="12" height="12"/>'
                     f'<text x="{lx + 16}" y="{ly + 10}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts), dict(counts)


def horizontal_bars(chart_id: str, title: str, description: str, rows: list[tuple[str, int]]) -> str:
    width, row_h, left = 720, 22, 190
    height = row_h * len(rows) + 10
    peak = max((value for _, value in rows), default=1)
    parts = [svg_open(chart_id, width, height, title, description)]
    for index, (label, value) in enumerate(rows):
        y = 5 + index * row_h
        w = (width - left - 50) * value / peak
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="12">{escape(label)}</text>'
                     f'<rect class="tdet-bar" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}"/>'
                     f'<text x="{left + w + 6:.1f}" y="{y + 15}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def top_recipients_chart(dataset: Dataset, t: Messages, count: int = 15) -> str:
    top = Counter(d.recipient for d in dataset.deals.values()).most_common(count)
    rows = [(dataset.countries[code].name, n) for code, n in top]
    description = t.plain("charts.top_description", counts=", ".join(f"{name} {n}" for name, n in rows))
    return horizontal_bars("chart-top-recipients", t.plain("charts.top_title", n=len(rows)), description, rows)


def events_per_year_chart(chart_id: str, subject: str, deals: list[Deal], t: Messages) -> str:
    """A small bar chart of dated events per year, for a country or company page."""
    counts = Counter(int(e["date"][:4]) for d in deals for e in d["events"] if e["type"] != "planned")
    if not counts:
        return ""
    years = list(range(min(counts), max(counts) + 1))
    width, height, bottom = 720, 120, 20
    peak = max(counts.values())
    slot = width / len(years)
    description = t.plain("charts.events_description", subject=subject, first=years[0], last=years[-1],
                          counts=", ".join(f"{y}: {counts[y]}" for y in years if counts[y]))
    parts = [svg_open(chart_id, width, height, t.plain("charts.events_title", subject=subject), description)]
    for index, year in enumerate(years):
        h = (height - bottom - 14) * counts[year] / peak
        x = index * slot
        if counts[year]:
            parts.append(f'<rect class="tdet-bar" x="{x + slot * 0.15:.1f}" y="{height - bottom - h:.1f}" '
                         f'width="{slot * 0.7:.1f}" height="{h:.1f}"><title>{year}: {counts[year]}</title></rect>')
        if index == 0 or index == len(years) - 1 or len(years) <= 12:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{height - 5}" text-anchor="middle" '
                         f'font-size="11">{year}</text>')
    parts.append("</svg>")
    return "".join(parts)


@lru_cache(maxsize=1)
def world_geometry() -> dict[str, Any]:
    return json.loads((Path(__file__).parent / "assets" / "world-110m.json").read_text("utf-8"))


def recipients_map(dataset: Dataset, link, t: Messages) -> str:
    """Choropleth of recipients by number of deals; each recipient links to its page."""
    world = world_geometry()
    counts = Counter(d.recipient for d in dataset.deals.values())
    def level(n: int) -> int:
        return 0 if n == 0 else 1 if n == 1 else 2 if n <= 3 else 3 if n <= 6 else 4
    drawn = [code for code in counts if code in world["shapes"] or code in world["points"]]
    description = t.plain("charts.map_description", n=len(drawn))
    x0, y0, w, h = world["viewBox"]
    # The map holds links, so it is a group rather than one image (an image cannot contain controls).
    parts = [svg_open("map-recipients", w, h, t.plain("charts.map_title"), description,
                      "tdet-chart tdet-map", role="group")]
    for code, shape in world["shapes"].items():
        n = counts.get(code, 0)
        name = dataset.countries[code].name if code in dataset.countries else t.country(code, shape["name"])
        path = (f'<path class="tdet-level-{level(n)}" d="{shape["d"]}"><title>'
                f'{escape(t.count("charts.map_deals", n, name=name))}</title></path>')
        if n:
            country = dataset.countries[code]
            parts.append(f'<a href="{link(urls.country_page(country))}" '
                         f'aria-label="{escape(t.plain("charts.map_link", name=country.name, n=n))}">{path}</a>')
        else:
            parts.append(path)
    for code, point in world["points"].items():
        n = counts.get(code, 0)
        if n:
            country = dataset.countries[code]
            cx, cy = point["at"]
            parts.append(f'<a href="{link(urls.country_page(country))}" '
                         f'aria-label="{escape(t.plain("charts.map_link", name=country.name, n=n))}">'
                         f'<circle class="tdet-level-{level(n)} tdet-point" cx="{cx}" cy="{cy}" r="4">'
                         f'<title>{escape(t.count("charts.map_deals", n, name=country.name))}</title></circle></a>')
    for index, label in enumerate(["1", "2–3", "4–6", "7+"], 1):
        parts.append(f'<rect class="tdet-level-{index}" x="{20 + (index - 1) * 70}" y="{h - 24}" '
                     'width="14" height="14"/>'
                     f'<text x="{38 + (index - 1) * 70}" y="{h - 13}" font-size="12">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)


WORLD_OUTLINE = "assets/maps/world.svg"  # every country in one neutral shade, drawn once for all small maps


def world_outline_svg() -> str:
    """The world as a plain image, the backdrop of the small operator maps: one file the browser
    caches, so a system or company page carries only its own countries' outlines."""
    world = world_geometry()
    x0, y0, w, h = world["viewBox"]
    shapes = "".join(f'<path d="{shape["d"]}"/>' for shape in world["shapes"].values())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {w} {h}" width="{w}" height="{h}">'
            f'<g fill="#9e9e9e" fill-opacity=".4">{shapes}</g></svg>\n')


def operators_map(chart_id: str, subject: str, countries: list[Country], link, t: Messages) -> str:
    """A small map of the countries that received `subject`, each linking to its page, over the
    shared world outline."""
    world = world_geometry()
    x0, y0, w, h = world["viewBox"]
    names = ", ".join(c.name for c in countries)
    description = t.plain("charts.operators_description", n=len(countries), subject=subject, names=names)
    parts = [svg_open(chart_id, w, h, t.plain("charts.operators_title", subject=subject), description,
                      "tdet-chart tdet-map tdet-map--small",
                      role="group"),
             f'<image href="{link(WORLD_OUTLINE)}" x="{x0}" y="{y0}" width="{w}" height="{h}"/>']
    for country in countries:
        shape, point = world["shapes"].get(country.code), world["points"].get(country.code)
        if shape is None and point is None:
            continue
        mark = (f'<path class="tdet-level-3" d="{shape["d"]}"/>' if shape else
                f'<circle class="tdet-level-3 tdet-point" cx="{point["at"][0]}" cy="{point["at"][1]}" r="5"/>')
        parts.append(f'<a href="{link(urls.country_page(country))}" aria-label="{escape(country.name)}">'
                     f'{mark}<title>{escape(country.name)}</title></a>')
    parts.append("</svg>")
    return "".join(parts)
