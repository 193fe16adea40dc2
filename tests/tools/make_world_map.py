"""Convert Natural Earth geometry (the `world-atlas` npm package, ISC licence, data public domain)
into world-110m.json: one projected SVG path per country, keyed by ISO 3166-1 alpha-2 code.

Run once when updating the map (not part of the build):
    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tests/tools/make_world_map.py package/ > hooks/tracker/assets/world-110m.json
Countries too small for the 110m scale (Bahrain, the Maldives...) get a point from the 50m data.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from pathlib import Path

import pycountry

WIDTH = 1000.0
# world-atlas has no numeric ISO code for these features.
BY_NAME = {"Kosovo": "XK", "N. Cyprus": "XN", "Somaliland": None, "Antarctica": None}


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth I projection (Šavrič, Jenny, Patterson 2011), scaled to WIDTH."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.870700 - 0.131979 * p2 - 0.013791 * p4 + p4 * p4 * p2 * (0.003971 - 0.001529 * p2))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    scale = WIDTH / (2 * math.pi * 0.8707)
    return WIDTH / 2 + x * scale, 260 - y * scale


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def code_of(geometry: dict) -> str | None:
    name = geometry["properties"]["name"]
    if name in BY_NAME:
        return BY_NAME[name]
    country = pycountry.countries.get(numeric=geometry.get("id") or "000")
    return country.alpha_2 if country else None


def tenths(value: int) -> str:
    """A number of tenths as SVG path data writes it shortest: 25 -> "2.5", 5 -> ".5", -5 -> "-.5", 20 -> "2"."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    whole, tenth = divmod(value, 10)
    return sign + (f"{whole or ''}.{tenth}" if tenth else str(whole))


def ring_path(points: list[tuple[float, float]]) -> str:
    """One closed ring: its first point absolute, then each step from the previous point (`l`), every
    point rounded to a tenth first, so that the steps add up to exactly the rounded points. About 40 %
    smaller than absolute `L` commands, which matters on the home page, whose map is inline."""
    rounded = [(round(x * 10), round(y * 10)) for x, y in points]
    (x0, y0), steps = rounded[0], []
    for (px, py), (x, y) in itertools.pairwise(rounded):
        dx, dy = tenths(x - px), tenths(y - py)
        steps.append(dx + ("" if dy.startswith("-") else ",") + dy)
    # A step that starts with a minus sign needs no separator from the previous one.
    joined = "".join(step if step.startswith("-") else " " + step for step in steps)
    return f"M{tenths(x0)},{tenths(y0)}l{joined.lstrip()}z"


def path_of(geometry: dict, arcs) -> str:
    return "".join(ring_path([natural_earth(lon, lat) for lon, lat in ring_points(ring, arcs)])
                   for polygon in polygons(geometry) for ring in polygon)


def centroid(geometry: dict, arcs) -> tuple[float, float]:
    points = [p for polygon in polygons(geometry) for p in ring_points(polygon[0], arcs)]
    lon = sum(p[0] for p in points) / len(points)
    lat = sum(p[1] for p in points) / len(points)
    x, y = natural_earth(lon, lat)
    return round(x, 1), round(y, 1)


def main(folder: Path) -> None:
    small = json.loads((folder / "countries-110m.json").read_text())
    large = json.loads((folder / "countries-50m.json").read_text())
    small_arcs, large_arcs = decode_arcs(small), decode_arcs(large)
    shapes, points = {}, {}
    for geometry in small["objects"]["countries"]["geometries"]:
        code = code_of(geometry)
        if code and polygons(geometry):
            shapes[code] = {"name": geometry["properties"]["name"], "d": path_of(geometry, small_arcs)}
    for geometry in large["objects"]["countries"]["geometries"]:
        code = code_of(geometry)
        if code and code not in shapes and polygons(geometry):
            points[code] = {"name": geometry["properties"]["name"], "at": centroid(geometry, large_arcs)}
    json.dump({"source": "Natural Earth 4.1.0 (public domain) via the world-atlas 2.0.2 npm package (ISC)",
               "projection": "Natural Earth I", "viewBox": [0, 0, 1000, 520],
               "shapes": dict(sorted(shapes.items())), "points": dict(sorted(points.items()))},
              sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
