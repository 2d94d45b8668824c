"""Wiki text (edit text pasted from a wiki page) to Markdown, read by mwparserfromhell.

The Markdown keeps the wiki text's line numbers, so markdown_notes.py reads it and warnings
still name the teacher's lines. Templates, references, pictures and categories are taken
out of the text, each with a note.
"""

from __future__ import annotations

import re
from typing import Any

from worksheetgen.importer.structure import Note

_WIKI_SIGNS = re.compile(r"\{\{|\[\[|'''|<ref\b|^=={1,4}[^=\n]+={2,5}\s*$", re.MULTILINE)
_PICTURE = re.compile(r"^(?:file|image|media|category):", re.IGNORECASE)


def looks_like_wiki(text: str) -> bool:
    """Wiki source (edit text pasted from a wiki page): templates, links, bold quotes, `== headings ==`."""
    return len(set(m.group(0)[:2] for m in _WIKI_SIGNS.finditer(text[:200_000]))) >= 2


def tangled_wiki(text: str) -> bool:
    """Markup the wiki parser takes quadratic time over (fifth red-team pass: 24 KB of unclosed
    `{{a|` took 39 s, 30,000 `<ref>` 127 s): many more templates opened than closed, or more
    references, links or parameters than the longest real article has."""
    opened, closed = text.count("{{"), text.count("}}")
    return opened - closed > 50 or text.count("<ref") > 3_000 or text.count("{{{") > 200 or text.count("[[") > 20_000


def wiki_to_markdown(lines: list[str], notes: list[Note]) -> list[str]:
    """Wiki text -> Markdown lines (same count): templates, references, pictures and categories removed."""
    import mwparserfromhell

    text = "\n".join(lines)
    code = mwparserfromhell.parse(text)
    out: list[str] = []
    line = 1
    for node in code.nodes:
        raw = str(node)
        out.append(_wiki_node(node, line, notes))
        line += raw.count("\n")
    converted = "".join(out).split("\n")
    converted += [""] * (len(lines) - len(converted))
    return converted[: len(lines)] if len(converted) >= len(lines) else converted


def _blank(raw: str) -> str:
    """A removed piece keeps its line breaks, so later lines keep their numbers."""
    return "\n" * raw.count("\n")


def _wiki_node(node: Any, line: int, notes: list[Note]) -> str:
    """One node of parsed wiki text as Markdown."""
    from mwparserfromhell import nodes

    raw = str(node)
    if isinstance(node, nodes.Text):
        return raw
    if isinstance(node, nodes.Heading):
        return "#" * node.level + " " + _wiki_inline(node.title, line, notes).strip()
    if isinstance(node, nodes.Template):
        notes.append((line, f"wiki template {{{{{str(node.name).strip()[:30]}}}}} left out"))
        return _blank(raw)
    if isinstance(node, nodes.Wikilink):
        if _PICTURE.match(str(node.title).strip()):
            kind = "category" if str(node.title).strip().lower().startswith("category") else "picture and its caption"
            notes.append((line, f"wiki {kind} left out"))
            return _blank(raw)
        return _wiki_inline(node.text if node.text is not None else node.title, line, notes)
    if isinstance(node, nodes.ExternalLink):
        return _wiki_inline(node.title, line, notes) if node.title is not None else ""
    if isinstance(node, nodes.Tag):
        return _wiki_tag(node, line, notes)
    if isinstance(node, nodes.HTMLEntity):
        return str(node.normalize())
    if isinstance(node, nodes.Comment):
        return _blank(raw)
    return _blank(raw)


def _wiki_tag(node: Any, line: int, notes: list[Note]) -> str:
    """Bold and italic kept as Markdown, list markers as Markdown's, references and tables left out."""
    tag = str(node.tag).lower()
    raw = str(node)
    if tag == "ref":
        return _blank(raw)
    if tag in ("b", "strong"):
        return f"**{_wiki_inline(node.contents, line, notes).strip()}**"
    if tag == "li":
        return "1. " if str(node.wiki_markup) == "#" else "- "
    if tag in ("dt", "dd"):
        return ""
    if tag == "table":
        notes.append((line, "wiki table left out: write its rows as points to import them"))
        return _blank(raw)
    if tag == "br":
        return " "
    if node.contents is not None:
        return _wiki_inline(node.contents, line, notes)
    return _blank(raw)


def _wiki_inline(code: Any, line: int, notes: list[Note]) -> str:
    if code is None:
        return ""
    return "".join(_wiki_node(n, line, notes) for n in code.nodes)
