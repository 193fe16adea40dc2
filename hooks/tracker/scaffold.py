"""Start a new deal file from the commented template."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .rules import ID_PATTERN

TEMPLATE = Path("data") / "templates" / "deal.yaml"


def write_deal_template(root: Path, deal_id: str, today: dt.date | None = None) -> Path:
    """Write data/deals/<deal_id>.yaml from the template, checked today; refuses bad ids and existing files."""
    if not ID_PATTERN.match(deal_id):
        raise ValueError(f"'{deal_id}' is not a valid id: use lowercase letters, digits and hyphens")
    target = root / "data" / "deals" / f"{deal_id}.yaml"
    if target.exists():
        raise ValueError(f"{target.relative_to(root)} already exists: edit it instead")
    text = (root / TEMPLATE).read_text("utf-8")
    checked = f'checked: "{(today or dt.date.today()).isoformat()}"'
    target.write_text(re.sub(r'^checked: "[0-9-]+"', checked, text, count=1, flags=re.M), "utf-8")
    return target
