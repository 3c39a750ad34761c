"""Readable differences between two texts: which words were added and which removed."""

import difflib
import re
from dataclasses import dataclass

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """The words of ``old`` and ``new`` as kept, inserted and deleted segments, in reading order."""
    old_tokens, new_tokens = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", "".join(old_tokens[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", "".join(old_tokens[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", "".join(new_tokens[j1:j2])))
    return segments


def words_added(segments: list[Segment]) -> list[str]:
    return [s.text.strip() for s in segments if s.op == "insert" and s.text.strip()]


def words_removed(segments: list[Segment]) -> list[str]:
    return [s.text.strip() for s in segments if s.op == "delete" and s.text.strip()]
