"""Synthetic claims at scale, for benchmarks: bulk inserts that still write history rows."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .changes import next_change_number
from .events import content_changed
from .models import Article, Claim, Evidence, Rating, text_hash

SENTENCES = [
    "Pemerintah mengalokasikan Rp {n} miliar untuk program ini pada {d} Maret 2024.",
    "Sebanyak {n} orang hadir dalam forum ASEM di Bangkok tahun 1996.",
    "Indonesia menjalin hubungan diplomatik dengan {n} negara mitra sejak 1992.",
    "Harga beras naik {n} persen di Jakarta menurut data BPS bulan Juni.",
    "NATO menyatakan {n} negara anggota mendukung keputusan tersebut.",
]
CLAIMS_PER_ARTICLE = 50


@dataclass
class GenerationReport:
    articles: int
    claims: int
    evidence: int


def _article_body(index: int, rng: random.Random) -> str:
    lines = [
        rng.choice(SENTENCES).format(n=rng.randint(2, 9999), d=rng.randint(1, 28))
        + f" (artikel sintetis {index}, kalimat {i})"
        for i in range(CLAIMS_PER_ARTICLE)
    ]
    return "\n".join(lines) + "\n"


def generate_claims(*, claims: int, evidence_per_claim: int, seed: int = 1, batch_size: int = 2000) -> GenerationReport:
    """Create ``claims`` published claims (in articles of 50) with evidence, each with a history row."""
    rng = random.Random(seed)
    ratings = list(Rating.objects.all())
    now = timezone.now()
    offset = Article.objects.filter(slug__startswith="synthetic-").count()
    articles_needed = -(-claims // CLAIMS_PER_ARTICLE)
    made_claims = made_evidence = 0
    for first in range(0, articles_needed, batch_size // CLAIMS_PER_ARTICLE or 1):
        with transaction.atomic():
            batch = range(first, min(articles_needed, first + max(1, batch_size // CLAIMS_PER_ARTICLE)))
            articles = []
            for i in batch:
                body = _article_body(offset + i, rng)
                articles.append(
                    Article(
                        slug=f"synthetic-{offset + i}",
                        headline=f"Artikel sintetis {offset + i}",
                        outlet="Sintetis",
                        author="Generator",
                        url=f"https://example.org/synthetic/{offset + i}",
                        language="id",
                        body=body,
                        body_hash=text_hash(body),
                        original=body.encode(),
                        published_on=now.date(),
                    )
                )
            articles = bulk_create_with_history(
                articles, Article, batch_size=batch_size, default_change_reason="Generated", default_date=now
            )
            new_claims = []
            change = next_change_number()  # one change of the feed, as a bulk write makes it (claims.changes)
            for article in articles:
                start = 0
                for n, line in enumerate(article.body.split("\n")[:CLAIMS_PER_ARTICLE]):
                    if made_claims + len(new_claims) >= claims:
                        break
                    rating = rng.choice(ratings)
                    claim = Claim(
                        article=article,
                        slug=f"{article.slug}-{n}",
                        start=start,
                        end=start + len(line),
                        statement=line[:120],
                        statement_en=f"Synthetic claim {article.slug}-{n}",
                        claimant="Generator",
                        status=Claim.Status.PUBLISHED,
                        rating=rating,
                        verdict=f"Ringkasan putusan sintetis {n}.",
                        verdict_en=f"Synthetic verdict {n}.",
                        published_at=now,
                        updated_at=now,
                        created_at=now,
                        change_seq=change,
                    )
                    claim.refresh_derived_fields()
                    new_claims.append(claim)
                    start += len(line) + 1
            new_claims = bulk_create_with_history(
                new_claims, Claim, batch_size=batch_size, default_change_reason="Generated", default_date=now
            )
            evidence = [
                Evidence(
                    claim=claim,
                    url=f"https://example.org/source/{claim.pk}/{k}",
                    title=f"Sumber {k} untuk klaim {claim.pk}",
                    publisher="Contoh",
                    excerpt="Kutipan sumber sintetis.",
                    stance=Evidence.Stance.SUPPORTS,
                    position=k,
                    created_at=now,
                )
                for claim in new_claims
                for k in range(evidence_per_claim)
            ]
            bulk_create_with_history(
                evidence, Evidence, batch_size=batch_size, default_change_reason="Generated", default_date=now
            )
            content_changed()  # bulk inserts send no signals
        made_claims += len(new_claims)
        made_evidence += len(evidence)
    return GenerationReport(articles=articles_needed, claims=made_claims, evidence=made_evidence)
