"""The documents the dataset started from, each claim with its verdict and the records that cover it."""

from __future__ import annotations

from .. import urls
from .context import PageContext


def render(ctx: PageContext) -> None:
    if not ctx.renders(urls.SEEDS):
        return
    ctx.render("seeds.md", "seeds.html", "seeds/", ctx.t.plain("seeds.title"), ctx.t.plain("seeds.description"),
               seeds=sorted(ctx.data.seeds.values(), key=lambda s: s.id))
