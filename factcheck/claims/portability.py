"""Move a whole portal to another installation: a streamed export, restored into an empty database.

What travels is derived from the app registry, so a model added later travels without editing a list:
every model of the ``claims`` and ``partners`` apps (their history tables included: history rows are
exported and restored as rows, exactly as they are) and the people, with their groups and
permissions but without their passwords. API keys travel as their digests; webhook endpoints with
their signing secrets, so partners' signatures keep verifying (the file is as sensitive as a backup).

The file is JSON Lines, read and written a batch at a time, so memory stays bounded at any size::

    {"format": "factcheck-portal-export", "version": 2, "exported_at": "..."}
    {"model": "claims.claim", "fields": ["id", "article_id", ...]}
    {"model": "claims.claim", "rows": [[1, 3, ...], ...]}
    ...
    {"end": {"claims.claim": 60000, ...}}

The last line holds the counts: a file cut short is refused. An import runs in one transaction (a
failure leaves the database as it was) and only into a database without portal content: importing
over existing claims could leave a claim at one version while its history and corrections describe
another, and the next edit would reuse a version number (issue 14). The rating scale that migrations
seed is the one exception: the exported scale replaces it, matched by its natural key ``key``.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import functools
import gzip
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from . import events
from .roles import ensure_roles

FORMAT = "factcheck-portal-export"
FORMAT_VERSION = 2
EXPORTED_APPS = ("claims", "partners")
# Models of those apps that stay behind, and why. Every other model travels (tests/claims/test_portability.py).
NOT_EXPORTED: dict[str, str] = {
    "claims.changesequence": "the change feed's counter: it starts again after the restored claims' numbers",
}
# The rating scale is seeded by a migration: the exported scale replaces it (by its natural key, ``key``).
SEEDED_MODELS = ("claims.rating", "claims.historicalrating")
USER_SECRET_FIELDS = {"password"}
USER_RELATIONS = ("groups", "user_permissions")
# Rows per line: fewer where rows can be large (an article's body and its bytes as received), so that a
# line, and the rows read for it, stay a few megabytes whatever the data.
ROWS_PER_LINE = {"BinaryField": 50, "TextField": 250}
ROWS_PER_LINE_DEFAULT = 1000
# Field types whose Python values every database driver takes as they are.
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "BigIntegerField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BooleanField",
    "CharField",
    "SlugField",
    "TextField",
}

PASSWORD_HINT = (
    "Restored people have no usable password: set one with `manage.py changepassword <username>` "
    "(or `user.set_password(...)` in `manage.py shell`), or let them use the password reset."
)


class PortalImportError(Exception):
    pass


# ---------------------------------------------------------------------------------------------- models


def exported_models() -> list[type[models.Model]]:
    """The user model, then every model of the exported apps, each after the models it points to."""
    User = get_user_model()
    candidates = [
        model
        for app_label in EXPORTED_APPS
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True)
        if model._meta.label_lower not in NOT_EXPORTED
    ]
    return [User, *_in_dependency_order(candidates)]


def _in_dependency_order(candidates: list[type[models.Model]]) -> list[type[models.Model]]:
    """Order models so that each comes after every model its foreign keys point to (self-references
    aside). Ties keep the registry's order, so the file is the same from run to run."""
    pending = sorted(candidates, key=lambda model: model._meta.label_lower)
    ordered: list[type[models.Model]] = []
    while pending:
        for model in pending:
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not model and f.related_model in pending
            }
            if not targets:
                break
        else:  # a cycle: the foreign keys are checked at commit, so any order of the rest will do
            model = pending[0]
        pending.remove(model)
        ordered.append(model)
    return ordered


def _exported_fields(model: type[models.Model]) -> list[models.Field]:
    secret = USER_SECRET_FIELDS if model is get_user_model() else set()
    return [f for f in model._meta.concrete_fields if f.name not in secret]


# ---------------------------------------------------------------------------------------------- export


@dataclass
class ExportReport:
    counts: dict[str, int] = field(default_factory=dict)


def _encode(value: Any) -> Any:
    """JSON for the values json cannot write itself (json.dumps calls this only for those)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # keeps microseconds: history is ordered by them
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    raise TypeError(f"Cannot export a value of type {type(value).__name__}.")


def _rows_per_line(fields: list[models.Field]) -> int:
    kinds = {f.get_internal_type() for f in fields}
    return min([ROWS_PER_LINE[kind] for kind in kinds if kind in ROWS_PER_LINE], default=ROWS_PER_LINE_DEFAULT)


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, default=_encode, ensure_ascii=False, separators=(",", ":")) + "\n"


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _user_rows(fields: list[models.Field]) -> Iterator[list[Any]]:
    User = get_user_model()
    users = User._default_manager.order_by("pk").prefetch_related("groups", "user_permissions__content_type")
    for user in users.iterator(chunk_size=ROWS_PER_LINE_DEFAULT):
        yield [
            *(getattr(user, f.attname) for f in fields),
            sorted(group.name for group in user.groups.all()),
            sorted(list(permission.natural_key()) for permission in user.user_permissions.all()),
        ]


def portal_export(out: IO[str]) -> ExportReport:
    """Write the whole portal to ``out``, a batch of rows per line, from one consistent snapshot."""
    report = ExportReport()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            _snapshot()
        out.write(_line({"format": FORMAT, "version": FORMAT_VERSION, "exported_at": timezone.now()}))
        for model in exported_models():
            label = model._meta.label_lower
            fields = _exported_fields(model)
            names = [f.attname for f in fields]
            if model is get_user_model():
                names += list(USER_RELATIONS)
                rows: Iterable[Any] = _user_rows(fields)
            else:
                queryset = model._base_manager.order_by("pk").values_list(*(f.attname for f in fields))
                rows = queryset.iterator(chunk_size=_rows_per_line(fields))
            out.write(_line({"model": label, "fields": names}))
            count = 0
            for batch in _batches(rows, _rows_per_line(fields)):
                out.write(_line({"model": label, "rows": batch}))
                count += len(batch)
            report.counts[label] = count
        out.write(_line({"end": report.counts}))
    return report


def _snapshot() -> None:
    """On PostgreSQL every statement of the export reads the same snapshot (REPEATABLE READ): a claim
    edited while the export runs cannot be written at one version and its history at another. SQLite's
    read transaction already gives one snapshot. Only possible as the transaction's first statement
    (an export inside a caller's transaction reads what that transaction sees)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def open_for_writing(path: Path, *, compressed: bool) -> IO[str]:
    if compressed:
        return gzip.open(path, "wt", encoding="utf-8", compresslevel=5)
    return path.open("w", encoding="utf-8")


def open_for_reading(path: Path) -> IO[str]:
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    if compressed:
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def portal_export_to_file(path: Path) -> ExportReport:
    """Write next to ``path`` and rename when complete: a failed export leaves no file that looks whole."""
    partial = path.with_name(path.name + ".partial")
    try:
        with open_for_writing(partial, compressed=path.suffix == ".gz") as out:  # a .gz name is compressed
            report = portal_export(out)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return report


# ---------------------------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    users_created: list[str] = field(default_factory=list)
    users_matched: list[str] = field(default_factory=list)
    deliveries_queued: int = 0


def portal_content_present() -> dict[str, int]:
    """What the database already holds that an import would collide with, by model (empty: none).
    People are matched by username instead, and the seeded rating scale is replaced."""
    present = {}
    for model in exported_models()[1:]:
        label = model._meta.label_lower
        if label in SEEDED_MODELS:
            continue
        count = model._base_manager.count()
        if count:
            present[label] = count
    return present


def _converter(model_field: models.Field) -> Callable[[Any], Any] | None:
    """How to turn the JSON of a field back into the value it was (None: JSON already is)."""
    target = model_field.target_field if model_field.is_relation else model_field
    kind = target.get_internal_type()
    if kind == "DateTimeField":
        return datetime.datetime.fromisoformat
    if kind == "DateField":
        return datetime.date.fromisoformat
    if kind == "BinaryField":
        return base64.b64decode
    if kind in {"UUIDField", "DecimalField", "TimeField", "DurationField"}:
        return target.to_python
    return None


class _ModelLoader:
    """Turns the rows of one model in the file into inserts, in the order of the database's fields."""

    def __init__(self, model: type[models.Model], names: list[str], user_ids: dict[int, int]) -> None:
        self.model = model
        self.label = model._meta.label_lower
        by_attname = {f.attname: f for f in _exported_fields(model)}
        unknown = [name for name in names if name not in by_attname and name not in USER_RELATIONS]
        if unknown:
            raise PortalImportError(
                f"{self.label}: the export has fields this database lacks ({', '.join(unknown)}); "
                "run `manage.py migrate` with the code that wrote the export, or newer."
            )
        self.fields = list(model._meta.concrete_fields)  # the password is set by the caller
        position = {name: index for index, name in enumerate(names)}
        # For each field of this database: where its value is in a row (or its default, if the export was
        # written before the field existed), how to turn the JSON back into the value, and how to hand
        # that value to the database.
        self.plan: list[tuple[int | None, Any, Callable[[Any], Any] | None, Callable[[Any], Any] | None]] = []
        for f in self.fields:
            remap = user_ids.get if f.is_relation and f.related_model is get_user_model() and user_ids else None
            convert = _converter(f)
            if remap is not None:
                convert = _chain(remap, convert)
            if f.attname in position:
                self.plan.append((position[f.attname], None, convert, _database_value(f)))
            else:
                self.plan.append((None, f.get_default(), None, _database_value(f)))
        quote = connection.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table),
            ", ".join(quote(f.column) for f in self.fields),
            ", ".join(["%s"] * len(self.fields)),
        )
        self.copy_sql = "COPY {} ({}) FROM STDIN".format(
            quote(model._meta.db_table), ", ".join(quote(f.column) for f in self.fields)
        )

    def values(self, row: list[Any]) -> list[Any]:
        values = []
        for index, default, convert, _ in self.plan:
            value = default if index is None else row[index]
            if value is not None and convert is not None:
                value = convert(value)
            values.append(value)
        return values

    def objects(self, rows: list[list[Any]]) -> list[models.Model]:
        return [self.model(*self.values(row)) for row in rows]

    def finish(self) -> None:
        pass

    def insert(self, rows: list[list[Any]]) -> None:
        """One batch as one executemany: what bulk_create does, without what a restore must not do.
        As loaddata's raw saves, auto_now fields (Article.updated_at) keep the exported value, and no
        history row is written (the exported history rows are rows of this file). It also skips
        compiling one statement per batch and, with DEBUG on, logging every value of it."""
        preps = [prep for *_, prep in self.plan]
        params = []
        for row in rows:
            values = self.values(row)
            params.append(
                tuple(
                    value if prep is None or value is None else prep(value)
                    for value, prep in zip(values, preps, strict=True)
                )
            )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: a fifth of the time of executemany's row-by-row INSERTs
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(self.sql, params)


def _database_value(model_field: models.Field) -> Callable[[Any], Any] | None:
    """How a value goes to the database (None: as it is, for text, numbers and booleans)."""
    target = model_field.target_field if model_field.is_relation else model_field
    kind = target.get_internal_type()
    if kind in PLAIN_TYPES:
        return None
    if kind == "DateTimeField":
        if connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone_name == "UTC":
            return _sqlite_datetime  # what adapt_datetimefield_value returns, at a third of the cost
        return connection.ops.adapt_datetimefield_value
    return functools.partial(_prepared, target)


def _sqlite_datetime(value: datetime.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return str(value)


def _prepared(model_field: models.Field, value: Any) -> Any:
    return model_field.get_db_prep_save(value, connection=connection)


def _chain(remap: Callable[[Any], Any], convert: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    def converted(value: Any) -> Any:
        value = convert(value) if convert else value
        mapped = remap(value)
        return value if mapped is None else mapped

    return converted


class _Reader:
    """The lines of an export, decoded one at a time, with the line number in every error."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = enumerate(lines, start=2)  # the header, line 1, is read before
        self.number = 1

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for number, text in self.lines:
            self.number = number
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise PortalImportError(
                    f"line {self.number}: not valid JSON ({exc.msg}); the file is damaged."
                ) from None
            if not isinstance(data, dict):
                raise PortalImportError(f"line {self.number}: expected a JSON object; the file is damaged.")
            yield data


def _check_header(first: dict[str, Any] | None, first_text: str) -> None:
    if first is None:
        if first_text.strip() == "{":
            raise PortalImportError(
                "This file is a version 1 export (one JSON document, written before the export streamed); "
                f"this portal reads version {FORMAT_VERSION} (JSON Lines). Export again with this version's "
                "export_portal."
            )
        raise PortalImportError("This file is not a portal export (its first line is not a JSON object).")
    if first.get("format") != FORMAT:
        raise PortalImportError("This file is not a portal export (its 'format' is missing or different).")
    if first.get("version") != FORMAT_VERSION:
        raise PortalImportError(
            f"Export version {first.get('version')!r} is not supported (expected {FORMAT_VERSION})."
        )


def portal_import(lines: Iterable[str]) -> ImportReport:
    """Restore an export into a database without portal content, all or nothing."""
    iterator = iter(lines)
    first_text = next(iterator, "")
    try:
        header = json.loads(first_text)
    except json.JSONDecodeError:
        header = None
    _check_header(header if isinstance(header, dict) else None, first_text)
    reader = _Reader(iterator)
    with transaction.atomic():
        present = portal_content_present()
        if present:
            summary = ", ".join(f"{count} {label}" for label, count in present.items())
            raise PortalImportError(
                f"The database already holds portal content ({summary}). Import only into an empty "
                "database (a new one after `manage.py migrate`, or after `manage.py flush`): importing over "
                "existing claims would leave rows and their history disagreeing."
            )
        _clear_seeded_scale()
        report = _load(reader)
        _refresh_statistics()
        _check_versions()
        _reset_sequences()
        report.deliveries_queued = events.portal_restored()
        events.content_changed()  # the HTTP cache in front drops every page and API answer
    return report


def _load(reader: _Reader) -> ImportReport:
    report = ImportReport()
    known = {model._meta.label_lower: model for model in exported_models()}
    user_ids: dict[int, int] = {}
    loaders: dict[str, _ModelLoader] = {}
    end: dict[str, int] | None = None
    for data in reader:
        if end is not None:
            raise PortalImportError(f"line {reader.number}: data after the end of the export; the file is damaged.")
        if "end" in data:
            end = data["end"]
            continue
        label = data.get("model")
        model = known.get(label)
        if model is None:
            raise PortalImportError(f"line {reader.number}: model {label!r} is not one this portal knows.")
        if "fields" in data:
            for loader in loaders.values():
                loader.finish()
            if model is get_user_model():
                loaders[label] = _UserLoader(data["fields"], report, user_ids)
            else:
                loaders[label] = _ModelLoader(model, data["fields"], user_ids)
            report.counts[label] = 0
            continue
        loader = loaders.get(label)
        if loader is None or not isinstance(data.get("rows"), list):
            raise PortalImportError(f"line {reader.number}: rows of {label} without their field names first.")
        try:
            loader.insert(data["rows"])
        except PortalImportError:
            raise
        except Exception as exc:  # a value the database refuses: say where, then roll everything back
            raise PortalImportError(f"line {reader.number} ({label}): {exc}") from exc
        report.counts[label] += len(data["rows"])
    for loader in loaders.values():
        loader.finish()
    if end is None:
        raise PortalImportError("The file ends before its last line: the export is incomplete (cut short?).")
    if end != report.counts:
        raise PortalImportError(f"The rows read ({report.counts}) differ from the counts the export wrote ({end}).")
    return report


def _clear_seeded_scale() -> None:
    """Make room for the exported scale: the rows a migration seeded (no claim points to them, the
    database holds no claims) and their history go, and the exported ones come with theirs."""
    apps.get_model("claims", "Rating")._default_manager.all().delete()
    # After the rows: deleting them records their deletion in the history.
    apps.get_model("claims", "HistoricalRating")._default_manager.all().delete()


class _UserLoader:
    """People are matched by username: one already here is kept as is (password included) and the
    exported rows that point to them are pointed at them. New ones get no usable password, and their
    exported id unless a person here has it. The newsroom's people are few: their rows are kept until
    all are read, so that a new id given to one cannot be the exported id of another."""

    def __init__(self, names: list[str], report: ImportReport, user_ids: dict[int, int]) -> None:
        self.loader = _ModelLoader(get_user_model(), names, {})
        self.index = {name: i for i, name in enumerate(names)}
        self.report = report
        self.user_ids = user_ids
        self.rows: list[list[Any]] = []
        self.finished = False

    def insert(self, rows: list[list[Any]]) -> None:
        self.rows.extend(rows)

    def finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        User = get_user_model()
        id_at, name_at = self.index["id"], self.index[User.USERNAME_FIELD]
        existing = User._default_manager.in_bulk([row[name_at] for row in self.rows], field_name=User.USERNAME_FIELD)
        taken = set(User._default_manager.values_list("pk", flat=True))
        next_id = max([*taken, *(row[id_at] for row in self.rows), 0]) + 1
        new_rows = []
        for row in self.rows:
            username, exported_id = row[name_at], row[id_at]
            if username in existing:
                self.user_ids[exported_id] = existing[username].pk
                self.report.users_matched.append(username)
                continue
            if exported_id in taken:
                row = [*row[:id_at], next_id, *row[id_at + 1 :]]
                self.user_ids[exported_id] = next_id
                next_id += 1
            new_rows.append(row)
            self.report.users_created.append(username)
        users = self.loader.objects(new_rows)
        for user in users:
            user.set_unusable_password()
        User._default_manager.bulk_create(users, batch_size=500)
        ensure_roles()  # the newsroom's groups, with their permissions
        groups = {group.name: group for group in Group.objects.all()}
        for row in self.rows:
            user = User(pk=self.user_ids.get(row[id_at], row[id_at]))
            names = row[self.index["groups"]] if "groups" in self.index else []
            for name in names:
                if name not in groups:
                    groups[name] = Group.objects.create(name=name)
            if names:
                user.groups.add(*(groups[name] for name in names))
            keys = row[self.index["user_permissions"]] if "user_permissions" in self.index else []
            if keys:
                try:
                    permissions = [Permission.objects.get_by_natural_key(*key) for key in keys]
                except Permission.DoesNotExist:
                    raise PortalImportError(
                        f"user {row[name_at]}: a permission in {keys} does not exist here."
                    ) from None
                user.user_permissions.add(*permissions)
        self.rows = []


def _refresh_statistics() -> None:
    """PostgreSQL: ANALYZE the tables just loaded, inside the import's transaction (which counts its own rows).

    Their statistics still describe empty tables, so the planner would check versions with a nested loop over
    a million claims and a million history rows (hours; measured at 1,000,000 claims in docs/performance.md).
    """
    if connection.vendor != "postgresql":
        return
    tables = set()
    for model in exported_models():
        tables.add(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            tables.add(history.model._meta.db_table)
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _check_versions() -> None:
    """Refuse (and roll back) a restore where a claim's newest history row describes another version
    than the claim: its next edit would reuse a version number, and the ETag of that version."""
    for model in exported_models():
        history = getattr(model, "history", None)
        if history is None or "version" not in {f.name for f in model._meta.concrete_fields}:
            continue
        newest = (
            history.model._default_manager.filter(**{model._meta.pk.attname: OuterRef("pk")})
            .order_by("-history_date", "-history_id")
            .values("version")[:1]
        )
        diverging = list(
            model._default_manager.annotate(history_version=Subquery(newest))
            .filter(~Q(history_version=F("version")), history_version__isnull=False)
            .values_list("pk", "version", "history_version")[:5]
        )
        if diverging:
            described = ", ".join(f"id {pk} at v{version}, history at v{seen}" for pk, version, seen in diverging)
            raise PortalImportError(
                f"{model._meta.label_lower}: rows and their history disagree ({described}); "
                "the export is not consistent and was not restored."
            )


def _reset_sequences() -> None:
    """On PostgreSQL, set each id sequence past the restored ids (SQLite follows explicit ids itself)."""
    tables = [get_user_model(), Group, *exported_models()]
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def portal_import_from_file(path: Path) -> ImportReport:
    with open_for_reading(path) as lines:
        try:
            return portal_import(lines)
        except UnicodeDecodeError:
            raise PortalImportError("This file is not a portal export (it is not UTF-8 text).") from None
        except (EOFError, OSError, gzip.BadGzipFile) as exc:
            raise PortalImportError(f"The compressed file is damaged ({exc}).") from None
