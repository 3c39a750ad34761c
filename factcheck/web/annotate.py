"""The article body as HTML paragraphs with its claims highlighted.

Claims may nest (a short claim inside a longer one) or cross each other and
paragraph breaks. Highlights are ``<mark>`` elements, balanced like any HTML:
where two cross, or a paragraph ends inside one, the highlight is closed and
reopened as a continuation. The first piece carries the claim's id (the target
of links to its place), the last piece the link chip with the verdict's label.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    anchor: str  # the id of the first piece
    css_class: str
    chip_label: str  # the visible text of the chip, e.g. the rating's label
    chip_prefix: str  # read by screen readers before the label, e.g. "Verdict:"
    chip_href: str
    chip_title: str = ""
    chip_lang: str = ""  # the chip's language where it differs from the article's (an English page)


def _open_tag(highlight: Highlight, first: bool) -> str:
    if first:
        return format_html('<mark class="claim {}" id="{}">', highlight.css_class, highlight.anchor)
    return format_html('<mark class="claim claim-continued {}">', highlight.css_class)


def _chip(highlight: Highlight) -> str:
    title = format_html(' title="{}"', highlight.chip_title) if highlight.chip_title else ""
    lang = format_html(' lang="{}"', highlight.chip_lang) if highlight.chip_lang else ""
    return format_html(
        '<a class="chip {}" href="{}"{}{}><span class="visually-hidden">{} </span>{}</a>',
        highlight.css_class,
        highlight.chip_href,
        mark_safe(title),
        mark_safe(lang),
        highlight.chip_prefix,
        highlight.chip_label,
    )


def annotate(body: str, highlights: list[Highlight]) -> list[SafeString]:
    """The paragraphs of ``body`` (split at line breaks, blank ones dropped) as safe HTML."""
    starts: dict[int, list[Highlight]] = {}
    ends: dict[int, list[Highlight]] = {}
    for h in highlights:
        start, end = h.start, h.end
        # A highlight starts and ends on text, never on a line break.
        while start < end and body[start : start + 1] == "\n":
            start += 1
        while end > start and body[end - 1 : end] == "\n":
            end -= 1
        if 0 <= start < end <= len(body):
            starts.setdefault(start, []).append(h)
            ends.setdefault(end, []).append(h)
    breaks = {i for i, char in enumerate(body) if char == "\n"}
    after_breaks = {i + 1 for i in breaks}
    points = sorted({0, len(body), *starts, *ends, *breaks, *after_breaks})

    paragraphs: list[SafeString] = []
    current: list[str] = []
    has_text = False
    stack: list[Highlight] = []  # open highlights, outermost first
    opened: set[Highlight] = set()  # highlights whose first piece has been written

    def open_highlight(h: Highlight) -> None:
        current.append(_open_tag(h, first=h not in opened))
        opened.add(h)
        stack.append(h)

    def end_paragraph() -> None:
        nonlocal current, has_text
        for _ in stack:
            current.append("</mark>")
        if has_text:
            paragraphs.append(mark_safe("".join(current)))
        current, has_text = [], False

    for index, point in enumerate(points):
        closing = ends.get(point, [])
        if closing:
            # Close from the innermost down to the deepest closing highlight, then reopen the survivors.
            depths = [stack.index(h) for h in closing if h in stack]
            if depths:
                depth = min(depths)
                survivors = [h for h in stack[depth:] if h not in closing]
                for h in reversed(stack[depth:]):
                    if h in closing:
                        current.append(_chip(h))
                    current.append("</mark>")
                del stack[depth:]
                for h in survivors:
                    open_highlight(h)
        if point in breaks:
            end_paragraph()
            continue
        if point in after_breaks:
            for h in stack:
                current.append(_open_tag(h, first=False))
        # Longer highlights open first so that the ones they contain nest inside.
        for h in sorted(starts.get(point, []), key=lambda h: -h.end):
            open_highlight(h)
        if index + 1 < len(points):
            text = body[point : points[index + 1]]
            if text.strip():
                has_text = True
            current.append(escape(text))
    end_paragraph()
    return paragraphs
