"""How well candidate detection finds the check-worthy sentences of the evaluation corpus.

    .venv/bin/python bench/candidates.py            # the table, per text and in all
    .venv/bin/python bench/candidates.py --k 5      # only the five best candidates of each text
    .venv/bin/python bench/candidates.py --json     # the totals as JSON
    .venv/bin/python bench/candidates.py --agreement  # two labellers of the published texts, and the detector
    .venv/bin/python bench/candidates.py --texts 58-77  # only the texts numbered 58 to 77 (a held-out set)

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


def text_number(entry: dict) -> int:
    """A text's number: its file name begins with it (``58-ntrex-….txt``)."""
    return int(entry["file"].split("-", 1)[0])


def evaluate(
    k: int = DEFAULT_K, corpus: Path = CORPUS, *, origin: str | None = None, numbers: range | None = None
) -> dict:
    """Precision, recall and F1 of the top ``k`` candidates of each text, over the whole corpus, over the
    texts of one ``origin`` or over those whose numbers are in ``numbers``."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    outcomes = []
    for entry in manifest["texts"]:
        if origin is not None and entry["origin"] != origin:
            continue
        if numbers is not None and text_number(entry) not in numbers:
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


def _found(spans: list[dict], labels: list[dict]) -> int:
    """How many of ``labels`` some span of ``spans`` covers."""
    return sum(any(_covers((s["start"], s["end"]), (x["start"], x["end"])) for s in spans) for x in labels)


def agreement(corpus: Path = CORPUS) -> dict:
    """The second, independent labelling of the published texts (second_labels.json) against the first: how
    far two labellers agree (F1 of the one against the other), and the detector against the second."""
    first = {e["file"]: e["checkworthy"] for e in json.loads((corpus / "manifest.json").read_text("utf-8"))["texts"]}
    second = json.loads((corpus / "second_labels.json").read_text(encoding="utf-8"))["texts"]
    counted = {"first": 0, "second": 0, "first_found_by_second": 0, "second_found_by_first": 0}
    for entry in second:
        ones, twos = first[entry["file"]], entry["checkworthy"]
        counted["first"] += len(ones)
        counted["second"] += len(twos)
        counted["first_found_by_second"] += _found(twos, ones)
        counted["second_found_by_first"] += _found(ones, twos)
    recall = counted["first_found_by_second"] / counted["first"]
    precision = counted["second_found_by_first"] / counted["second"]
    detector = {}
    for k in (DEFAULT_K, 1000):
        outcomes = [
            evaluate_text(e["file"], (corpus / e["file"]).read_text(encoding="utf-8"), e["checkworthy"], [], k)
            for e in second
        ]
        p = sum(o.right for o in outcomes) / sum(o.kept for o in outcomes)
        r = sum(o.found for o in outcomes) / sum(o.labelled for o in outcomes)
        detector[k] = (round(p, 3), round(r, 3), round(2 * p * r / (p + r), 3))
    f1 = 2 * precision * recall / (precision + recall)
    return {**counted, "f1": round(f1, 3), "detector": detector}


def number_range(value: str) -> range:
    first, _, last = value.partition("-")
    return range(int(first), int(last or first) + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k", type=int, default=DEFAULT_K, help=f"candidates kept per text (default {DEFAULT_K})")
    parser.add_argument("--json", action="store_true", help="print the totals as JSON")
    parser.add_argument("--verbose", action="store_true", help="list missed and wrong sentences")
    parser.add_argument("--origin", choices=ORIGINS, help="only the texts written for this project, or published")
    parser.add_argument("--agreement", action="store_true", help="the two labellings of the published texts")
    parser.add_argument("--texts", type=number_range, help="only the texts numbered FIRST-LAST (e.g. 58-77)")
    options = parser.parse_args(argv)
    if options.agreement:
        found = agreement()
        print(f"first labels {found['first']}, second {found['second']}; agreement F1 {found['f1']:.3f}")
        for k, (p, r, f1) in found["detector"].items():
            print(f"detector against the second labels, top {k}: precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
        return 0
    result = evaluate(options.k, origin=options.origin, numbers=options.texts)
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
            part = evaluate(options.k, origin=origin, numbers=options.texts)
            print(
                f"  {origin + ':':<10} texts {part['texts']}, labelled {part['labelled']}, precision "
                f"{part['precision']:.3f}  recall {part['recall']:.3f}  F1 {part['f1']:.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
