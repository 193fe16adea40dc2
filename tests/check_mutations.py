"""Break the code on purpose, one mutation at a time, and list the tests that catch each.

    .venv/bin/python tests/check_mutations.py [test files]

Every mutation must print CAUGHT: a NOT CAUGHT line is a hole in the tests. Each mutation names the
exact text it replaces, so a change to that code makes the script stop until its entry is updated.
The source files are always restored.
"""

import pathlib
import subprocess
import sys

M = [
 ("ordered/delivered swapped", "hooks/tracker/pages/fragments.py",
  "deal, ordered, delivered = row.deal, row.ordered, row.delivered",
  "deal, delivered, ordered = row.deal, row.ordered, row.delivered"),
 ("TIM in SSB series", "hooks/tracker/charts.py",
  "series[total[\"series\"]][total[\"year\"]] = total[\"amount_million_usd\"]",
  "series[{\"ssb\": \"tim\", \"tim\": \"ssb\"}[total[\"series\"]]][total[\"year\"]] = total[\"amount_million_usd\"]"),
 ("CSV first_date is last", "hooks/tracker/exports/tables.py",
  "\"first_date\": d.first_date,", "\"first_date\": d.last_date,"),
 ("last_date counts planned", "hooks/tracker/model.py",
  "for e in self.data[\"events\"] if e[\"type\"] != \"planned\"), default", "for e in self.data[\"events\"]), default"),
 ("country first = max", "hooks/tracker/pages/countries.py", "first=min(years)", "first=max(years)"),
 ("archive links dropped", "hooks/tracker/pages/fragments.py",
  "if \"archive\" in source else \"\")", "if False else \"\")"),
 ("deals by year from last event", "hooks/tracker/charts.py",
  "return int(min(dates)[:4])", "return int(deal.last_date[:4])"),
 ("feeds include planned", "hooks/tracker/exports/feeds.py",
  "for event in [e for e in events if e.type != \"planned\"][:FEED_LENGTH]:", "for event in events[:FEED_LENGTH]:"),
 ("event note not escaped", "hooks/tracker/pages/fragments.py", "f'<br>{escape(event.note)} ", "f'<br>{event.note} "),
 ("deal row title not escaped", "hooks/tracker/pages/fragments.py",
  "{escape(deal[\"title\"])}</a></td>'", "{deal[\"title\"]}</a></td>'"),
 ("delivering rule removed", "hooks/tracker/rules.py",
  "    if status == \"delivering\" and not types & DELIVERY_EVENTS:\n"
  "        yield (\"status\",), \"'delivering' needs at least one delivery event\"\n", ""),
 ("website rule removed", "hooks/tracker/rules.py",
  "    if \"website\" in data and not _is_web_address(data[\"website\"]):\n", "    if False:\n"),
 ("Turkish heading left in English", "hooks/tracker/templates/deal.html",
  "## {{ t(\"deal.use\") }}", "## Use this record"),
 ("Turkish links lead to English pages", "hooks/tracker/pages/context.py",
  "return ROOT + self.prefix + target", "return ROOT + target"),
 ("Turkish message missing", "hooks/tracker/messages/tr.yaml", "  correct: Düzeltme bildirin\n", ""),
 ("Turkish status names in English", "hooks/tracker/pages/fragments.py",
  "{escape(t.value(\"status\", deal[\"status\"]))}", "{status}"),
 ("Turkish dates in English", "hooks/tracker/i18n.py",
  "if self.lang == DEFAULT:\n            return readable_date(date)",
  "if True:\n            return readable_date(date)"),
]
tests = sys.argv[1:] or ["tests/test_values.py", "tests/test_bad_input.py", "tests/test_languages.py"]
for name, file, old, new in M:
    p = pathlib.Path(file)
    orig = p.read_text()
    assert orig.count(old) == 1, (name, orig.count(old))
    p.write_text(orig.replace(old, new))
    try:
        r = subprocess.run([".venv/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
                           capture_output=True, text=True)
        failed = sorted({line.split(" ")[1].split("[")[0]
                         for line in r.stdout.splitlines() if line.startswith("FAILED")})
        print(f"{name}: {'CAUGHT' if failed else 'NOT CAUGHT'} by {failed}")
    finally:
        p.write_text(orig)
