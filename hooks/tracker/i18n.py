"""The interface in each language: its message catalogue, its dates, and where its pages live.

English pages are at the site root ('deals/x/'), Turkish ones at the same path under 'tr/' ('tr/deals/x/'):
every page exists in both, so the way to a page in the other language is its path with the prefix
swapped. Record text (titles, summaries, notes) stays as written in the data; everything the site
itself says comes from `messages/<language>.yaml`, read strictly (no duplicate keys), and the Turkish
descriptions of the schema fields from `messages/schema.tr.yaml`.
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .model import Dataset, readable_date
from .strict_yaml import read_yaml_file

LANGUAGES = ("en", "tr")
DEFAULT = "en"
NAMES = {"en": "English", "tr": "Türkçe"}
MESSAGES = Path(__file__).resolve().parent / "messages"


class MissingMessage(KeyError):
    pass


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{'deal': {'status': 'Status'}} -> {'deal.status': 'Status'}; lists (month names) stay whole."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


@functools.cache
def catalogue(lang: str) -> dict[str, Any]:
    """Every message of one language by dotted key."""
    return flatten(read_yaml_file(MESSAGES / f"{lang}.yaml").data)


@functools.cache
def schema_descriptions(lang: str) -> dict[str, str]:
    """The schema's field descriptions in `lang` by '<record type>/<field>' (English ones are in the schemas)."""
    path = MESSAGES / f"schema.{lang}.yaml"
    return read_yaml_file(path).data if lang != DEFAULT else {}


@functools.cache
def country_names(lang: str) -> dict[str, str]:
    """Country names in `lang` by code: the Unicode CLDR's (through Babel), and ours for the codes it
    does not name as the site does (messages/countries.<lang>.yaml)."""
    from babel import Locale  # only other languages need it

    names = dict(Locale.parse(lang).territories)
    names.update(read_yaml_file(MESSAGES / f"countries.{lang}.yaml").data)
    return names


def localized(dataset: Dataset, lang: str) -> Dataset:
    """The dataset as pages in `lang` show it: the same records, with the countries' names in `lang`
    (records' own text stays as written)."""
    if lang == DEFAULT:
        return dataset
    names = country_names(lang)
    countries = {code: dataclasses.replace(country, name=names.get(code, country.name))
                 for code, country in dataset.countries.items()}
    return dataclasses.replace(dataset, countries=countries)


# Turkish letters in alphabetical order: ç after c, ğ after g, ı before i, ö after o, ş after s, ü after u.
_TURKISH_ORDER = str.maketrans({"ç": "c~", "ğ": "g~", "ı": "h~", "ö": "o~", "ş": "s~", "ü": "u~"})


def _turkish_order(name: str) -> str:
    letters = name.replace("I", "ı").replace("İ", "i").lower().translate(_TURKISH_ORDER)
    # Other accents (the ô of Côte) do not make a letter of their own: the base letter is compared.
    return "".join(c for c in unicodedata.normalize("NFD", letters) if not unicodedata.combining(c))


def sort_key(lang: str):
    """How names are put in alphabetical order in `lang` (in Turkish as a Turkish reader expects, case ignored)."""
    if lang == "tr":
        return _turkish_order
    return lambda name: name


def prefix(lang: str) -> str:
    """Where a language's pages live: '' for English, 'tr/' for Turkish."""
    return "" if lang == DEFAULT else f"{lang}/"


def language_of(url: str) -> str:
    """The language of a page from its URL ('tr/deals/x/' -> 'tr')."""
    first = url.split("/", 1)[0]
    return first if first in LANGUAGES and first != DEFAULT else DEFAULT


def unprefixed(url: str) -> str:
    return url.removeprefix(prefix(language_of(url)))


@dataclass(frozen=True)
class Alternate:
    lang: str
    name: str
    url: str
    current: bool  # the page itself


def alternates(url: str) -> list[Alternate]:
    """The same page in every language, this one included."""
    path = unprefixed(url)
    return [Alternate(lang, NAMES[lang], prefix(lang) + path, prefix(lang) + path == url) for lang in LANGUAGES]


def nav_key(entry: str) -> str:
    """The catalogue key of a navigation entry: its page ('countries/index.md' -> 'countries', 'index.md'
    -> 'home') or, for a section, its English title ('About' -> 'about')."""
    if entry.endswith(".md"):
        return entry.removesuffix(".md").removesuffix("index").rstrip("/") or "home"
    return entry.lower().replace(" ", "-")


def navigation(english: list[Any], lang: str) -> list[Any]:
    """MkDocs' `nav` setting for `lang`, from the English one in mkdocs.yml: the same entries, each page
    under the language's prefix and each title from the catalogue."""
    t = Messages(lang)

    def entry(item: dict[str, Any]) -> dict[str, Any]:
        (title, target), = item.items()
        if isinstance(target, list):
            return {t.plain(f"nav.{nav_key(title)}"): [entry(child) for child in target]}
        return {t.plain(f"nav.{nav_key(target)}"): prefix(lang) + target}
    return [entry(item) for item in english]


def nav_sources(nav: list[Any]) -> list[str]:
    """The page sources a `nav` setting names, as MkDocs' `nav` lists them."""
    sources: list[str] = []
    for item in nav:
        for target in item.values():
            sources += nav_sources(target) if isinstance(target, list) else [target]
    return sources


class Messages:
    """One language's interface: `t("deal.status")`, `t("deals.intro", count=3)`, dates and value names.

    Messages are trusted text (ours, reviewed) and may hold markup; the values put into them are escaped.
    A missing key fails the build, as a missing template variable does."""

    def __init__(self, lang: str):
        self.lang = lang
        self._messages = catalogue(lang)
        self._months = self._messages["date.months"]
        self._bare: dict[str, Markup] = {}

    def _text(self, key: str) -> str:
        try:
            return self._messages[key]
        except KeyError:
            raise MissingMessage(f"no message '{key}' in messages/{self.lang}.yaml") from None

    def __call__(self, key: str, **params: Any) -> Markup:
        if params:
            return Markup(self._text(key)).format(**params)
        if key not in self._bare:  # most calls, thousands of times a build: made once
            self._bare[key] = Markup(self._text(key)).format()
        return self._bare[key]

    def plain(self, key: str, **params: Any) -> str:
        """A message as plain text (for page titles, descriptions and chart labels, escaped where they are used)."""
        text = self._text(key)
        return text.format(**params) if params else text

    def count(self, key: str, n: int, **params: Any) -> str:
        """`key.one` for 1, else `key.other`, with `n` as {n}."""
        return self.plain(f"{key}.{'one' if n == 1 else 'other'}", n=n, **params)

    def number(self, value: float | None) -> str:
        """A number with this language's digit grouping (1,250 in English, 1.250 in Turkish); None is blank."""
        if value is None:
            return ""
        text = f"{value:,}"
        return text if self.lang == DEFAULT else text.translate(_SWAP_SEPARATORS)

    def country(self, code: str, english: str) -> str:
        """A country's name in this language (`english` where none is known)."""
        return english if self.lang == DEFAULT else country_names(self.lang).get(code, english)

    def value(self, kind: str, value: str) -> str:
        """The name of an enumerated value (a status, an event type, a category...)."""
        return self.plain(f"values.{kind}.{value}")

    def date(self, date: str) -> str:
        """A partial ISO date at its own precision, in this language."""
        if self.lang == DEFAULT:
            return readable_date(date)
        return _local_date(date, tuple(self._months), self._messages["date.day_month_year"],
                           self._messages["date.month_year"])


_SWAP_SEPARATORS = str.maketrans(",.", ".,")


@functools.lru_cache(maxsize=65536)
def _local_date(date: str, months: tuple[str, ...], day_month_year: str, month_year: str) -> str:
    parts = date.split("-")
    if len(parts) == 1:
        return parts[0]
    month = months[int(parts[1]) - 1]
    if len(parts) == 2:
        return month_year.format(month=month, year=parts[0])
    return day_month_year.format(day=int(parts[2]), month=month, year=parts[0])
