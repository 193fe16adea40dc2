"""axe-core (bundled by axe-playwright-python) on every page type in both languages, in light and dark mode."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import EVERY_LANGUAGE, open_page

pytestmark = pytest.mark.browser
AXE = Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", EVERY_LANGUAGE)
def test_no_serious_or_critical_violations(browser, site_url: str, name: str, scheme: str):
    page, _, _ = open_page(browser, site_url + EVERY_LANGUAGE[name], color_scheme=scheme)
    results = AXE.run(page)
    page.context.close()
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} -> "
                       + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                                   for n in v["nodes"][:5])
                       for v in serious)
    assert not serious, report
