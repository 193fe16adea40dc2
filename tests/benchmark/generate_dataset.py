"""Write a synthetic but realistic project data folder with N deals (deterministic for a seed).

    .venv/bin/python tests/benchmark/generate_dataset.py N TARGET_DIR [--seed 1]

Proportions follow the real dataset: about one company per 4 deals (capped), one system per 2 deals
(capped), every ISO country as a possible recipient, 1-4 events and 1-5 sources per deal, and text of
the real records' length. The folder passes `tracker check`.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[2]
WORDS = ("drone armoured vehicle corvette contract delivery ministry defence army navy air force programme "
         "agreement report source figure number value order batch training maintenance plant ammunition "
         "missile system export industry company government signed delivered according official statement").split()
CATEGORIES = ["uav", "loitering-munition", "armored-vehicle", "naval-vessel", "missile", "munitions",
              "ammunition-plant", "trainer-aircraft", "helicopter", "electronics", "air-defense", "artillery"]
REGIONS = ["europe", "caucasus-central-asia", "middle-east", "north-africa", "sub-saharan-africa", "south-asia",
           "east-asia-pacific", "americas"]
EVENT_TYPES = ["negotiation", "contract", "delivery", "report", "announcement", "commissioning"]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def source_block(rng: random.Random, slug: str, index: int) -> str:
    year = rng.randint(2010, 2025)
    return (f"  - url: https://news{rng.randint(1, 400)}.example.org/{year}/{slug}-{index}\n"
            f"    title: {quoted(sentence(rng, 9))}\n"
            f"    publisher: {quoted('Publisher ' + str(rng.randint(1, 300)))}\n"
            f"    published: \"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\"\n"
            f"    supports: {quoted(sentence(rng, 8))}\n")


def generate(count: int, target: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    data = target / "data"
    shutil.copytree(ROOT / "data" / "schema", data / "schema")
    shutil.copytree(ROOT / "data" / "templates", data / "templates")
    for folder in ("deals", "companies", "systems"):
        (data / folder).mkdir(parents=True)
    (target / "seeds").mkdir()
    shutil.copy(ROOT / "data" / "annual-totals.yaml", data / "annual-totals.yaml")

    countries = sorted(c.alpha_2 for c in pycountry.countries)[: max(20, min(249, count // 4))]
    lines = ["# yaml-language-server: $schema=schema/countries.schema.json", "countries:"]
    for code in countries:
        lines += [f"  {quoted(code)}:", f"    region: {rng.choice(REGIONS)}"]
    (data / "countries.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    totals_companies = re.findall(r"^ +company: ([a-z0-9-]+)$",
                                  (ROOT / "data" / "annual-totals.yaml").read_text("utf-8"), re.M)
    companies = sorted(set(totals_companies)) + [f"company-{i}" for i in range(max(10, min(400, count // 4)))]
    for company in companies:
        (data / "companies" / f"{company}.yaml").write_text(
            "# yaml-language-server: $schema=../schema/company.schema.json\n"
            f"name: {quoted(company.replace('-', ' ').title())}\n"
            f"ownership: {rng.choice(['state', 'private', 'foundation'])}\n"
            f"headquarters: Ankara, Türkiye\nsummary: >-\n  {sentence(rng, 40)}\nsources:\n"
            + source_block(rng, company, 0), "utf-8")
    systems = [f"system-{i}" for i in range(max(20, min(2000, count // 2)))]
    for system in systems:
        (data / "systems" / f"{system}.yaml").write_text(
            "# yaml-language-server: $schema=../schema/system.schema.json\n"
            f"name: {quoted(system.replace('-', ' ').title())}\nmaker: {rng.choice(companies)}\n"
            f"category: {rng.choice(CATEGORIES)}\nsummary: >-\n  {sentence(rng, 35)}\nsources:\n"
            + source_block(rng, system, 0), "utf-8")

    for number in range(count):
        deal_id = f"deal-{number:05d}"
        dates = sorted(f"{rng.randint(2005, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                       for _ in range(rng.randint(1, 4)))
        events = "".join(f"  - date: \"{date}\"\n    type: {rng.choice(EVENT_TYPES)}\n"
                         f"    note: {quoted(sentence(rng, 12))}\n"
                         for date in dates)
        ordered = rng.randint(1, 50)
        items = "".join(f"  - system: {system}\n    ordered: {ordered}\n    delivered: {rng.randint(0, ordered)}\n"
                        for system in rng.sample(systems, rng.choice([1, 1, 1, 2])))
        suppliers = ", ".join(rng.sample(companies, rng.choice([1, 1, 2])))
        sources = "".join(source_block(rng, deal_id, i) for i in range(rng.randint(1, 5)))
        (data / "deals" / f"{deal_id}.yaml").write_text(
            "# yaml-language-server: $schema=../schema/deal.schema.json\n"
            f"title: {quoted(sentence(rng, 7)[:-1])}\nrecipient: {quoted(rng.choice(countries))}\n"
            f"suppliers: [{suppliers}]\ntransfer: {rng.choice(['sale', 'sale', 'donation', 'licensed-production'])}\n"
            f"items:\n{items}status: {rng.choice(['ordered', 'reported', 'in-production'])}\n"
            f"checked: \"{dates[-1]}\"\n"  # the deal schema requires it; no random draw, so the rest is unchanged
            f"events:\n{events}summary: >-\n  {sentence(rng, 60)}\nsources:\n{sources}"
            f"confidence: {rng.choice(['confirmed', 'reported'])}\nnotes: >-\n  {sentence(rng, 30)}\n", "utf-8")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.count, args.target, args.seed)
    print(f"wrote {args.count} deals to {args.target}/data")
    return 0


if __name__ == "__main__":
    sys.exit(main())
