"""The generated pages' raw HTML blocks, set aside before Python-Markdown's HTML parser reads them
(tracker/raw_html.py): the HTML of every page is the same as the parser alone makes, and every generated
page takes the short way (a template that stops fitting it would make builds slower without a word)."""

from __future__ import annotations

import sys
from pathlib import Path

import markdown
import pytest
from conftest import ROOT
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data
from tracker.exports import export_files
from tracker.load import load_dataset
from tracker.model import SiteSettings
from tracker.pages import SiteRenderer
from tracker.raw_html import GeneratedHtmlExtension

sys.path.insert(0, str(ROOT / "tests" / "benchmark"))
from generate_dataset import generate  # noqa: E402

SETTINGS = SiteSettings(site_url="https://example.org/tracker/", repo_url="https://github.com/example/tracker")


@pytest.fixture(scope="module")
def site_markdown_options() -> tuple[list, dict]:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return list(config.markdown_extensions), dict(config.mdx_configs or {})


def convert(text: str, options: tuple[list, dict], set_aside: bool) -> tuple[str, list, int]:
    """The page's HTML and table of contents, as MkDocs' Markdown makes them, and how many blocks were
    set aside before the parser (always 0 without `set_aside`)."""
    extensions, configs = options
    extension = GeneratedHtmlExtension()
    extension.blocks.active = set_aside
    md = markdown.Markdown(extensions=[*extensions, extension], extension_configs=configs)
    html = md.convert(text)
    return html, getattr(md, "toc_tokens", []), extension.blocks.stashed


def generated_markdown(project: Path) -> dict[str, str]:
    dataset = load_dataset(project)
    files = export_files(dataset, SETTINGS, project)
    pages = SiteRenderer(dataset, SETTINGS, project / "data" / "schema").render_all(
        {path: len(content) for path, content in files.items()})
    return {uri: get_data(page.markdown)[0] for uri, page in pages.items()}


def assert_same_pages(pages: dict[str, str], options: tuple[list, dict]) -> None:
    slow_pages = []
    for uri, text in pages.items():
        html, toc, stashed = convert(text, options, set_aside=True)
        plain_html, plain_toc, _ = convert(text, options, set_aside=False)
        assert html == plain_html, f"{uri}: the HTML differs from Python-Markdown's own"
        assert toc == plain_toc, f"{uri}: the table of contents differs"
        if stashed == 0:
            slow_pages.append(uri)
    assert not slow_pages, (f"{len(slow_pages)} generated page(s) are left to Python-Markdown's HTML parser "
                            f"(a template writes HTML that raw_html.py does not read), e.g. {slow_pages[:3]}")


def test_every_generated_page_of_the_dataset_converts_the_same(site_markdown_options):
    pages = generated_markdown(ROOT)
    assert len(pages) > 1000
    assert_same_pages(pages, site_markdown_options)


def test_every_generated_page_of_a_synthetic_dataset_converts_the_same(site_markdown_options, tmp_path):
    project = generate(120, tmp_path / "project")
    assert_same_pages(generated_markdown(project), site_markdown_options)


TABLE = '<div class="wrap">\n<table>\n<tr><td><a href="x/">A &amp; B</a></td></tr>\n</table>\n</div>'

# (Markdown, whether its blocks are set aside): the HTML must be the same either way.
DOCUMENTS = {
    "block between headings": (f"# Title\n\n{TABLE}\n\n## Next {{ #next }}\n\ntext\n", True),
    "heading right after a block": (f"{TABLE}\n## Next {{ #next data-x }}\n\ntext\n", True),
    "text right before a block": (f"Some *text*\n{TABLE}\n\nmore\n", True),
    "blocks on consecutive lines": ('<p class="a">one</p>\n<dl><dt>a</dt><dd>b</dd></dl>\n<p>two</p>\n', True),
    "block at the end, no newline": ('text\n\n<p data-x>end</p>', True),
    "nested elements of the same name": ('<div><div>a</div>\n<div>b</div></div>\n\nafter\n', True),
    "an inline tag starting a line": ('<a href="x">link</a> and *emphasis*\n\n<p>block</p>\n', True),
    "unclosed inline element before": ('see <span class="x">this\n\n<ol>\n<li id="a">one</li>\n</ol>\n', True),
    "void elements inside": ('<figure><svg><image href="m.svg"/><path d="M0,0Z"/></svg><br></figure>\n', True),
    "a self-closed element of the block's name": ('<div class="a"><div/>text</div>\n\nafter\n', False),
    "a self-closed element, then one end tag too many": ('<div><div/></div></div>\n\nafter\n', False),
    "block across a blank line": ('<div>\n\n<p>inside</p>\n\n</div>\n\nafter\n', False),
    "unclosed block": ('<div>\n<p>never closed</p>\n\n## Heading\n\n<p>after</p>\n', False),
    "comment": ('<p>a</p>\n\n<!-- note -->\n\n<p>b</p>\n', False),
    "comment inside a block": ('<div><!-- x --></div>\n', False),
    "indented block tag": ('text\n\n  <div>x</div>\n\n<p>b</p>\n', False),
    "rule": ('<p>a</p>\n\n<hr>\n\n<p>b</p>\n', False),
    "rule with an end tag": ('<p>a</p>\n\n<hr class="x"></hr>\n\n<p>b</p>\n', False),
    "text after the end tag": ('<p>a</p> tail\n\n<p>b</p>\n', False),
    "character reference without semicolon": ('<p>it&#39s</p>\n\n<p>b</p>\n', False),
    "single-quoted attribute": ("<p class='a'>x</p>\n\n<p>b</p>\n", False),
    "unquoted attribute": ('<p class=a>x</p>\n', False),
    "tag across lines": ('<div\nclass="a">x</div>\n\n<p>b</p>\n', False),
    "script": ('<div><script>if (a < b) {}</script></div>\n', False),
    "upper-case tag": ('<DIV>x</DIV>\n\n<p>b</p>\n', False),
    "less-than sign as text": ('a < b\n\n<p>b</p>\n', False),
    "block inside a fenced code block": ('```\n<div>\n```\n\n<p>b</p>\n', True),
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_convert_as_python_markdown_alone_does(name, site_markdown_options):
    text, set_aside = DOCUMENTS[name]
    html, toc, stashed = convert(text, site_markdown_options, set_aside=True)
    plain_html, plain_toc, _ = convert(text, site_markdown_options, set_aside=False)
    assert (html, toc) == (plain_html, plain_toc)
    assert (stashed > 0) == set_aside


def test_pages_that_are_not_generated_are_left_to_the_parser(site_markdown_options):
    assert convert(TABLE + "\n", site_markdown_options, set_aside=False)[2] == 0
