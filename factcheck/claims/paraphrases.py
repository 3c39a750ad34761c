"""The measure of "already checked?" matching: paraphrase pairs, precision and recall at the top 3.

The set (``tests/data/similar_claims.json``) holds published claims, each with its Indonesian and
English statement, and pairs: a text a reader or partner might send, with the claim it must find
among the first three answers of ``similar.similar_claims`` ("expect"), or the claim about other
figures it must *not* return ("not"). Used by ``bench/similar.py`` and by the test that keeps the
figures from dropping.

- recall at 3: the share of "expect" pairs whose claim is among the first three answers;
- precision at 3: of all answers in the first three, over every pair, the share that is the pair's
  expected claim (an answer to a "not" pair, or any other claim, counts against it);
- number mismatches: "not" pairs whose claim was answered anyway.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .models import Article, Claim, Rating
from .similar import similar_claims

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "similar_claims.json"


@dataclass
class Figures:
    pairs: int
    expect_pairs: int
    not_pairs: int
    recall: float
    precision: float
    answers: int
    number_mismatches: int
    misses: list[str]
    wrong: list[str]

    def as_dict(self) -> dict:
        return {
            "pairs": self.pairs,
            "expect_pairs": self.expect_pairs,
            "not_pairs": self.not_pairs,
            "recall_at_3": round(self.recall, 3),
            "precision_at_3": round(self.precision, 3),
            "answers": self.answers,
            "number_mismatches": self.number_mismatches,
        }


def read_set(path: Path = DEFAULT_SET) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@transaction.atomic
def load_claims(data: dict) -> dict[str, Claim]:
    """The set's claims, published, in one article whose body holds their statements; by key."""
    ratings = {rating.key: rating for rating in Rating.objects.all()}
    body = "\n".join(claim["id"] for claim in data["claims"])
    article, _ = Article.objects.get_or_create(
        slug="paraphrase-set", defaults={"headline": "Kumpulan klaim untuk uji kemiripan", "body": body}
    )
    now = timezone.now()
    claims: dict[str, Claim] = {}
    start = 0
    for item in data["claims"]:
        end = start + len(item["id"])
        claim, _ = Claim.objects.update_or_create(
            article=article,
            start=start,
            end=end,
            defaults={
                "slug": f"paraphrase-{item['key']}",
                "statement": item["id"],
                "statement_en": item["en"],
                "status": Claim.Status.PUBLISHED,
                "rating": ratings[item["rating"]],
                "verdict": f"Putusan untuk {item['key']}.",
                "verdict_en": f"Verdict for {item['key']}.",
                "published_at": now,
            },
        )
        claims[item["key"]] = claim
        start = end + 1
    return claims


def evaluate(data: dict, claims: dict[str, Claim], *, top: int = 3) -> Figures:
    by_pk = {claim.pk: key for key, claim in claims.items()}
    hits = answers = correct = mismatches = 0
    misses: list[str] = []
    wrong: list[str] = []
    expect_pairs = [pair for pair in data["pairs"] if "expect" in pair]
    for pair in data["pairs"]:
        found = [by_pk.get(item.claim.pk) for item in similar_claims(text=pair["text"], language=pair["language"])]
        found = found[:top]
        answers += len(found)
        if "expect" in pair:
            if pair["expect"] in found:
                hits += 1
                correct += 1
            else:
                misses.append(pair["text"])
            wrong += [f"{pair['text']} -> {key}" for key in found if key != pair["expect"]]
        else:
            if pair["not"] in found:
                mismatches += 1
            wrong += [f"{pair['text']} -> {key}" for key in found]
    return Figures(
        pairs=len(data["pairs"]),
        expect_pairs=len(expect_pairs),
        not_pairs=len(data["pairs"]) - len(expect_pairs),
        recall=hits / len(expect_pairs) if expect_pairs else 0.0,
        precision=correct / answers if answers else 0.0,
        answers=answers,
        number_mismatches=mismatches,
        misses=misses,
        wrong=wrong,
    )
