"""How well candidate detection finds the check-worthy sentences of the evaluation corpus.

    .venv/bin/python bench/candidates.py            # the table, per text and in all
    .venv/bin/python bench/candidates.py --k 5      # only the five best candidates of each text
    .venv/bin/python bench/candidates.py --json     # the totals as JSON

The corpus is tests/data/candidates/ (texts, and manifest.json with the check-worthy sentences and
the template text labelled by hand). For each text the candidates are ranked by score and the top k
kept. A candidate is right when it covers a labelled sentence (overlap of at least 60 % of the longer
of the two); precision is right candidates / candidates kept, recall is labelled sentences found /
labelled sentences, both summed over all texts. A candidate that touches labelled template text
(section labels, rules, links, datelines, "Baca juga" lines) is a boilerplate candidate: the target
is none. Figures are recorded in docs/candidates.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "candidates"
DEFAULT_K = 8
MIN_OVERLAP = 0.6

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from factcheck.lib.candidates import find_candidates, rank_candidates  # noqa: E402


@dataclass
class Outcome:
    name: str
    labelled: int
    kept: int
    right: int
    found: int
    boilerplate: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _covers(candidate: tuple[int, int], label: tuple[int, int]) -> bool:
    longer = max(candidate[1] - candidate[0], label[1] - label[0])
    return longer > 0 and _overlap(candidate, label) >= MIN_OVERLAP * longer


def evaluate_text(name: str, text: str, labels: list[dict], boilerplate: list[dict], k: int) -> Outcome:
    kept = rank_candidates(find_candidates(text))[:k]
    spans = [(label["start"], label["end"]) for label in labels]
    found = {i for i, span in enumerate(spans) for c in kept if _covers((c.start, c.end), span)}
    right = [c for c in kept if any(_covers((c.start, c.end), span) for span in spans)]
    template = [(b["start"], b["end"]) for b in boilerplate]
    boiler = [c.quote for c in kept if any(_overlap((c.start, c.end), span) for span in template)]
    return Outcome(
        name=name,
        labelled=len(spans),
        kept=len(kept),
        right=len(right),
        found=len(found),
        boilerplate=boiler,
        missed=[labels[i]["text"] for i in range(len(spans)) if i not in found],
        wrong=[c.quote for c in kept if c not in right],
    )


ORIGINS = ("written", "published")  # texts written for this project; published texts we may redistribute


def evaluate(k: int = DEFAULT_K, corpus: Path = CORPUS, *, origin: str | None = None) -> dict:
    """Precision, recall and F1 of the top ``k`` candidates of each text, over the whole corpus or over the
    texts of one ``origin``."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    outcomes = []
    for entry in manifest["texts"]:
        if origin is not None and entry["origin"] != origin:
            continue
        text = (corpus / entry["file"]).read_text(encoding="utf-8")
        outcomes.append(evaluate_text(entry["file"], text, entry["checkworthy"], entry["boilerplate"], k))
    kept = sum(o.kept for o in outcomes)
    right = sum(o.right for o in outcomes)
    labelled = sum(o.labelled for o in outcomes)
    found = sum(o.found for o in outcomes)
    precision = right / kept if kept else 0.0
    recall = found / labelled if labelled else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "k": k,
        "texts": len(outcomes),
        "labelled": labelled,
        "candidates": kept,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "boilerplate_candidates": sum(len(o.boilerplate) for o in outcomes),
        "outcomes": outcomes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k", type=int, default=DEFAULT_K, help=f"candidates kept per text (default {DEFAULT_K})")
    parser.add_argument("--json", action="store_true", help="print the totals as JSON")
    parser.add_argument("--verbose", action="store_true", help="list missed and wrong sentences")
    parser.add_argument("--origin", choices=ORIGINS, help="only the texts written for this project, or published")
    options = parser.parse_args(argv)
    result = evaluate(options.k, origin=options.origin)
    if options.json:
        print(json.dumps({key: value for key, value in result.items() if key != "outcomes"}, indent=2))
        return 0
    print(f"{'text':<34} {'labelled':>8} {'kept':>5} {'right':>5} {'found':>5} {'boilerplate':>11}")
    for o in result["outcomes"]:
        print(f"{o.name:<34} {o.labelled:>8} {o.kept:>5} {o.right:>5} {o.found:>5} {len(o.boilerplate):>11}")
        if options.verbose:
            for quote in o.missed:
                print(f"    missed: {quote}")
            for quote in o.wrong:
                print(f"    wrong:  {quote}")
            for quote in o.boilerplate:
                print(f"    BOILERPLATE: {quote}")
    print()
    print(
        f"texts {result['texts']}, labelled sentences {result['labelled']}, candidates (top {options.k}) "
        f"{result['candidates']}"
    )
    print(
        f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}  "
        f"boilerplate candidates {result['boilerplate_candidates']}"
    )
    if options.origin is None:
        for origin in ORIGINS:
            part = evaluate(options.k, origin=origin)
            print(
                f"  {origin + ':':<10} texts {part['texts']}, labelled {part['labelled']}, precision "
                f"{part['precision']:.3f}  recall {part['recall']:.3f}  F1 {part['f1']:.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
