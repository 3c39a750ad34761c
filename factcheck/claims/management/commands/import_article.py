import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from factcheck.claims.errors import ServiceError
from factcheck.claims.importing import ACCEPT_ALL, ArticleMetadata, article_import, article_preview


class Command(BaseCommand):
    help = (
        "Import an article from a UTF-8 file (or - for standard input): repair its text, store it with "
        "its original bytes, and propose candidate claims."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="A UTF-8 text file, or - to read standard input.")
        parser.add_argument("--title", default="", help="The headline; defaults to the first sentence.")
        parser.add_argument("--url", default="", help="Where the article was published (http or https).")
        parser.add_argument("--outlet", default="", help="The publisher or outlet.")
        parser.add_argument("--author", default="")
        parser.add_argument("--published", default="", help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--language", default="id", help="Language code: id or en.")
        parser.add_argument("--accept-all", action="store_true", help="Store every candidate as a draft claim.")
        parser.add_argument("--dry-run", action="store_true", help="Touch no database; only show the result.")
        parser.add_argument("--json", action="store_true", help="Print the repaired text and candidates as JSON.")
        parser.add_argument("--user", default="", help="Username recorded in the history (defaults to none).")

    def handle(self, *args, **options) -> None:
        with translation.override("en"):  # command-line messages in English, like the rest of the tooling
            self._import(options)

    def _import(self, options) -> None:
        data = read_input(options["path"])
        try:
            if options["dry_run"]:
                preview = article_preview(data=data)
                self._print_preview(preview.text, preview.candidates, options["json"])
                return
            metadata = ArticleMetadata.from_data(
                {
                    "headline": options["title"],
                    "url": options["url"],
                    "outlet": options["outlet"],
                    "author": options["author"],
                    "published_on": options["published"],
                    "language": options["language"],
                }
            )
            result = article_import(
                data=data,
                metadata=metadata,
                by=self._user(options["user"]),
                accept=ACCEPT_ALL if options["accept_all"] else None,
                reason="Imported with import_article",
            )
        except ServiceError as exc:
            raise CommandError(_cli_message(exc)) from None
        if options["json"]:
            self._print_preview(result.article.body, result.candidates, True, article=result.article)
        if not result.created:
            self.stderr.write(
                f"Already imported as article #{result.article.pk} ({result.article.slug}): same text; nothing changed."
            )
            return
        if not options["json"]:
            self.stdout.write(self.style.SUCCESS(f"Imported article #{result.article.pk} ({result.article.slug})."))
            self._print_preview(None, result.candidates, False)
            if result.claims:
                self.stdout.write(f"Stored {len(result.claims)} candidates as draft claims.")
            else:
                self.stdout.write("No claims stored; run again with --accept-all, or pick candidates in the admin.")

    def _user(self, username: str):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--user: no user named {username!r}.")
        return user

    def _print_preview(self, text, candidates, as_json: bool, article=None) -> None:
        if as_json:
            payload = {"text": text, "candidates": [c.as_dict() for c in candidates]}
            if article is not None:
                payload = {"article": {"id": article.pk, "slug": article.slug}, **payload}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if text is not None:
            self.stdout.write(text)
        self.stdout.write(f"{len(candidates)} candidate claims:")
        for c in candidates:
            self.stdout.write(f"  [{c.start}:{c.end}] {c.quote}")
            self.stdout.write(f"      because {'; '.join(c.reasons)}")


def read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    file = Path(path)
    if not file.exists():
        raise CommandError(f"path: no such file: {path}")
    if not file.is_file():
        raise CommandError(f"path: not a regular file: {path}")
    return file.read_bytes()


FLAG_FOR_FIELD = {"headline": "--title", "published_on": "--published", "text": "path"}


def _cli_message(exc: ServiceError) -> str:
    if not exc.errors:
        return exc.message
    parts = []
    for field, messages in exc.errors.items():
        flag = FLAG_FOR_FIELD.get(field, f"--{field.replace('_', '-')}")
        parts.append(f"{flag}: {' '.join(messages)}")
    return "; ".join(parts)
