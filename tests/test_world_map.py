"""The world map's geometry (hooks/tracker/assets/world-110m.json, written by tests/tools/make_world_map.py):
paths in relative steps of a tenth, read back here by SVG's own number grammar, so that a change to the
writer that glued two numbers together or let the steps drift would fail before it reaches a map."""

from __future__ import annotations

import json
import random
import re
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "tools"))
from make_world_map import ring_path, tenths  # noqa: E402

WORLD = ROOT / "hooks" / "tracker" / "assets" / "world-110m.json"
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")  # SVG: ".5.5" is two numbers, "1-2" is two numbers


def points_of(path: str) -> list[list[tuple[int, int]]]:
    """The rings of a path of M, L, l and Z/z commands, as absolute points in tenths."""
    rings: list[list[tuple[int, int]]] = []
    for command, body in re.findall(r"([MLlZz])([^MLlZz]*)", path):
        assert NUMBER.sub("", body).strip(" ,") == "", (command, body)  # nothing but numbers and separators
        numbers = [round(float(n) * 10) for n in NUMBER.findall(body)]
        assert len(numbers) % 2 == 0, (command, body)
        pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
        if command == "M":
            rings.append(pairs)
        elif command == "L":
            rings[-1].extend(pairs)
        elif command == "l":
            for dx, dy in pairs:
                x, y = rings[-1][-1]
                rings[-1].append((x + dx, y + dy))
    return rings


@pytest.mark.parametrize(("value", "text"), [(25, "2.5"), (5, ".5"), (-5, "-.5"), (20, "2"), (0, "0"),
                                             (-123, "-12.3"), (10000, "1000")])
def test_tenths_are_written_shortest(value: int, text: str):
    assert tenths(value) == text


def test_a_ring_reads_back_as_its_rounded_points():
    rng = random.Random(7)
    for _ in range(200):
        points = [(rng.uniform(-50, 1050), rng.uniform(-50, 570)) for _ in range(rng.randint(2, 40))]
        points += [points[-1], (points[-1][0] + 0.04, points[-1][1])]  # steps of zero
        assert points_of(ring_path(points)) == [[(round(x * 10), round(y * 10)) for x, y in points]]


def test_every_shipped_shape_is_closed_rings_inside_the_map():
    world = json.loads(WORLD.read_text("utf-8"))
    x0, y0, width, height = world["viewBox"]
    assert len(world["shapes"]) > 150
    for code, shape in world["shapes"].items():
        assert shape["d"].count("M") == shape["d"].count("z") >= 1, code
        for ring in points_of(shape["d"]):
            assert len(ring) >= 4, code
            assert ring[0] == ring[-1], code  # Natural Earth rings end where they start
            assert all(x0 * 10 <= x <= (x0 + width) * 10 and y0 * 10 <= y <= (y0 + height) * 10 for x, y in ring), code
