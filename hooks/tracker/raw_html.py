"""The raw HTML blocks of the generated pages, handed to Python-Markdown already set aside.

A generated page is mostly HTML that our templates wrote and escaped (tables, lists, maps), between
a few Markdown headings. Python-Markdown finds raw HTML blocks with an HTML parser written in Python
(`HtmlBlockPreprocessor`): at the real size it took 1.8 of the 3.5 s that converting every page took.
This preprocessor runs just before it, on generated pages only, and sets aside ("stashes") every block
whose extent can be read from its shape, exactly as that parser would have: the parser then reads
only the Markdown between the blocks. The HTML MkDocs writes is the same, byte for byte
(tests/test_raw_html.py converts every generated page of the dataset both ways).

A block is taken when a line starts, in its first column, with a block-level start tag (`<table`,
`<div`...) and a later line (with no blank line on the way) ends with the end tag that closes it. The
page is left to the parser whole if it holds anything the parser could read otherwise: a tag not
written in full on one line with its values in double quotes, a comment, declaration or processing
instruction, a script or style, a character reference without its `;`, or a block-level tag that
does not start such a block (one such block could run on over the blocks after it). Markdown lines
between the blocks, and inline tags in them, are still read by the parser, as before. MkDocs' own
scan of the page's HTML for anchor ids runs before this one and still sees every block.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

# What can be read without the parser: every `<` opens or closes a tag written in full on one line, its
# attribute values in double quotes (as our templates write them); no comment, declaration or processing
# instruction (`<!`, `<?`), no script, style or text area (whose content is not read as tags), every
# character reference closed by `;`.
UNREADABLE = re.compile(
    r"<(?!/?[a-zA-Z][a-zA-Z0-9-]*(?:[ ]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=\"[^\"<>\n]*\")?)*[ ]*/?>)"
    r"|<(?:script|style|textarea)[\s>/]|&#(?![0-9]+;|[xX][0-9a-fA-F]+;)", re.I)
LINE_START_TAG = re.compile(r" {0,3}<([a-zA-Z][a-zA-Z0-9-]*)")
SET_ASIDE_BY_PARSER = ("hr",)  # a block the parser stashes on its own, without looking for an end tag


class GeneratedHtmlBlocks(Preprocessor):
    """`active` is set for each page before MkDocs converts it (site_hook.on_page_markdown)."""

    def __init__(self, md: Markdown | None = None) -> None:
        super().__init__(md)
        self.active = False
        self.stashed = 0  # blocks set aside so far in this process (read by the tests)

    def run(self, lines: list[str]) -> list[str]:
        if not self.active:
            return lines
        blocks = self._blocks(lines)
        if blocks is None:
            return lines
        out: list[str] = []
        done = 0
        for first, after, text in blocks:
            # As the parser does: each block has its own placeholder, on a line of its own between blank
            # lines, and keeps a newline when a blank line (and some line after it) follows it.
            blank_follows = after + 1 < len(lines) and not lines[after].strip(" ")
            out += lines[done:first]
            out += ["", self.md.htmlStash.store(text + "\n" if blank_follows else text), "", ""]
            done = after
        out += lines[done:]
        self.stashed += len(blocks)
        return out

    def _blocks(self, lines: list[str]) -> list[tuple[int, int, str]] | None:
        """Each raw HTML block as (first line, line after the last, text); None if the page holds
        anything the parser could read otherwise, or a block-level tag that does not start a block here."""
        if UNREADABLE.search("\n".join(lines)):
            return None
        blocks = []
        index = 0
        while index < len(lines):
            line = lines[index]
            tag = LINE_START_TAG.match(line)
            if tag is None or not self.md.is_block_level(tag.group(1)):
                index += 1  # Markdown, or a line starting with an inline tag: left to the parser
                continue
            name = tag.group(1)
            if tag.start(1) != 1 or name in SET_ASIDE_BY_PARSER or not name.islower():
                return None
            after = _block_end(lines, index, name)
            if after is None:
                return None
            blocks.append((index, after, "\n".join(lines[index:after])))
            index = after
        return blocks


def _block_end(lines: list[str], first: int, name: str) -> int | None:
    """The line after the block that starts `lines[first]` with the tag `name`: the line whose end is
    the end tag that closes it, with no blank line on the way. None if there is no such line."""
    tags = re.compile(rf"<(/?){name}[\s>/]")
    depth = 0
    for index in range(first, len(lines)):
        line = lines[index]
        if not line:
            return None
        for tag in tags.finditer(line):
            if tag.group(1):
                depth -= 1
                if depth == 0:  # the block's own end tag: it must end the line
                    return index + 1 if tag.start() == len(line) - len(f"</{name}>") and line.endswith(">") else None
            elif line[line.index(">", tag.end() - 1) - 1] == "/":
                return None  # a self-closed element of the same name: not opened, but counted here
            else:
                depth += 1
    return None


class GeneratedHtmlExtension(Extension):
    """Registers the one preprocessor, shared by every conversion, between MkDocs' anchor scan (21) and
    Python-Markdown's raw HTML parser (20)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks = GeneratedHtmlBlocks()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        self.blocks.md = md
        md.preprocessors.register(self.blocks, "tracker_generated_html", 20.5)


GENERATED_HTML = GeneratedHtmlExtension()
