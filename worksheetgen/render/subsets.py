"""Font subsets that every PDF of a run shares, so a print file merged from them embeds each face once.

reportlab embeds a TrueType font as subsets of up to 256 characters, numbered in the order a
document first uses them, so two sheets embed different subsets of the same face. Within
`share_glyphs`, each document's subsets start with the run's characters in a fixed order:
the embedded fonts come out byte-identical across the run's sheets, and the print file's
merge keeps one copy (`printfile`). Characters outside the shared set still print, in a
subset of the sheet's own after the shared ones.
"""

from __future__ import annotations

from contextvars import ContextVar

from reportlab.pdfbase.ttfonts import TTFont

_SHARED: ContextVar[str] = ContextVar("shared_glyphs", default="")


def share_glyphs(characters: str) -> None:
    """Give every PDF rendered from now on (in this thread) subsets that start with these
    characters, in code-point order; '' returns to reportlab's own order."""
    _SHARED.set("".join(sorted(set(characters))))


class SharedSubsetFont(TTFont):  # type: ignore[misc]
    """A TTFont whose subsets in each document start with the shared characters."""

    def splitString(self, text: str, doc: object, encoding: str = "utf-8") -> list[tuple[int, bytes]]:  # noqa: N802
        if doc not in self.state and _SHARED.get():
            have = self.face.charToGlyph
            super().splitString("".join(c for c in _SHARED.get() if ord(c) in have), doc)
            state = self.state[doc]
            state.nextCode = (state.nextCode + 255) & ~255  # the sheet's own characters: the next subset
        return super().splitString(text, doc, encoding)  # type: ignore[no-any-return]
