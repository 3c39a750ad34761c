"""Property-based fuzzing of the API against its own OpenAPI schema (schemathesis), with every check.

Every operation of /api/schema/ gets generated requests (valid and invalid) as an anonymous
client, an editor, a reviewer and a partner, and every response goes through every check
schemathesis has (as `st run --checks all`): no 5xx; status, content type, headers and body as
documented; invalid data refused; valid data accepted; required headers enforced; undocumented
methods answered 405 with `Allow`; declared credentials not ignored. Only `max_response_time` is
left out: the house has no timed assertions.

Valid data is accepted unless only the data can say otherwise, as for an id that does not exist
(404): a cursor is opaque (only one the API gave is valid), the rating keys are the scale's rows,
a webhook's host must resolve to a public address and be registered once per partner, and
non-public statuses are the newsroom's. So ``make_valid_cases_real`` gives valid cases a real
value for those; invalid cases are sent as generated. A write a claim's state forbids (409), a
stale or missing version (412, 428) are valid requests refused for the state, like a 404.
"""

from __future__ import annotations

import logging
import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks

from factcheck.claims.models import Article, Claim
from factcheck.wsgi import application

# Generated requests per operation and role: the full 10 in CI (.ci/run) and in a plain `pytest` run; `make test`
# asks for fewer (FUZZ_EXAMPLES in the Makefile) to keep within its three minutes on two cores. The coverage
# phase (each documented boundary and each kind of invalid value) is sent in full either way.
FULL_STRENGTH = 10
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES") or FULL_STRENGTH)
SEED = 20260302
# Valid requests may be refused for the state of the data: a missing object, a status that does not
# allow the write, a stale or missing version, a limit.
VALID_BUT_REFUSED_FOR_STATE = ["2xx", "304", "401", "403", "404", "409", "412", "428", "429"]
PUBLIC_STATUSES = ("published", "retracted")
# Invalid requests must be refused: schemathesis' own list, and 412, the answer to a stale version, which a
# write checks before the fields (nothing is written either way).
INVALID_REFUSED = ["400", "401", "403", "404", "405", "406", "409", "412", "415", "422", "428", "429"]

# (who, operation, status) -> responses, for the summary test at the end.
answered: Counter[tuple[str, str, int]] = Counter()
# The objects of the current test's world, for the path-parameter hook below.
world: dict = {}

# Loaded once at collection, in process: the schema as /api/schema/ serves it (drf-spectacular needs
# no database). Requests go to the WSGI application in the test's own transaction.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json",
    application,
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": VALID_BUT_REFUSED_FOR_STATE},
                "negative_data_rejection": {"expected-statuses": INVALID_REFUSED},
            },
        }
    ),
)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Mostly real objects, so detail pages, writes and transitions get past the 404; sometimes not."""

    def pick(known: list[int], generated):
        return st.sampled_from([*known, generated])

    if not path_parameters:
        return st.just(path_parameters)
    path = context.operation.path
    strategies = {}
    for name, generated in path_parameters.items():
        if name == "evidence_pk":
            strategies[name] = pick(world["evidence"], generated)
        elif path.startswith("/api/v1/webhooks/"):
            strategies[name] = pick(world["webhooks"], generated)
        elif path.startswith("/api/v1/articles/"):
            strategies[name] = pick(world["articles"], generated)
        else:
            strategies[name] = pick(world["claims"], generated)
    return st.fixed_dictionaries(strategies)


@schema.hook
def flatmap_case(context, case):
    """Half the writes carry the claim's current version and a real article, so they get past 412 and 400."""
    if case.method not in ("POST", "PATCH", "DELETE") or not case.operation.path.startswith("/api/v1/claims/"):
        return st.just(case)

    def current(real: bool):
        if not real:
            return case
        claim = claim_of(case)
        if claim is not None and case.method == "DELETE":
            case.query = {**(case.query or {}), "version": str(claim.version)}
        if claim is not None and case.headers and "If-Match" in case.headers:
            case.headers["If-Match"] = f'"claim-{claim.pk}-v{claim.version}"'
        if isinstance(case.body, dict):
            if claim is not None:
                case.body["version"] = claim.version
            if "article" in case.body:
                case.body["article"] = world["articles"][0]
                length = len(Article.objects.get(pk=world["articles"][0]).body)
                if isinstance(case.body.get("start"), int) and isinstance(case.body.get("end"), int):
                    start = case.body["start"] % length
                    case.body["start"], case.body["end"] = start, start + 1 + case.body["end"] % (length - start)
        return case

    return st.booleans().map(current)


@pytest.fixture(autouse=True)
def fuzzing(settings, fuzz_world, caplog):
    """Throttling would turn the fuzzer's burst into 429s: lift the limits; publish the world to the hook."""
    settings.API_THROTTLE_RATES = {name: "1000000/minute" for name in settings.API_THROTTLE_RATES}
    # Thousands of expected 4xx warnings would bury a 5xx's traceback (logged at ERROR, still shown).
    caplog.set_level(logging.ERROR, logger="django.request")
    world.clear()
    world.update(fuzz_world)
    # Requests run in the test's own transaction, as Django's test client runs them: the handler must not
    # close the connection at the end of each request (that would end the transaction on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        world.clear()


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def aim_at_real_objects(case) -> None:
    """The coverage phase probes path ids with 0, which never exists, so every body it varies meets a 404
    first: point those at this world's objects instead (its null, text and float ids stay as probes)."""
    params = case.path_parameters or {}
    if not params or not (case.meta and case.meta.phase.name == "coverage"):
        return
    path = case.operation.path
    for name, value in params.items():
        if str(value) != "0":
            continue
        if path.startswith("/api/v1/webhooks/"):
            params[name] = world["webhooks"][0]
        elif path.startswith("/api/v1/articles/"):
            params[name] = world["articles"][0]
        elif name == "evidence_pk":
            params[name] = world["evidence"][0]
        elif "evidence_pk" in params or case.method == "GET":
            params[name] = world["claims"][0]  # published, with the evidence
        else:
            params[name] = world["claims"][1]  # a draft: editors may change it freely


webhook_urls = iter(range(1, 10**9))
source_urls = iter(range(1, 10**9))


def claim_of(case) -> Claim | None:
    """The claim a case's path names, if it names one that exists (generated ids may be "null", -1…)."""
    pk = (case.path_parameters or {}).get("id")
    return Claim.objects.filter(pk=pk).first() if isinstance(pk, int) and 0 < pk < 2**63 else None


def real_span(claim: Claim | None, article_id: int | None, body: dict) -> None:
    """A span inside the article's body (start < end) that no other claim of the article has exactly."""
    for name in ("start", "end"):
        if not isinstance(body.get(name), int) or isinstance(body.get(name), bool):
            body[name] = 0
    article_id = claim.article_id if claim is not None else article_id or world["articles"][0]
    length = len(Article.objects.get(pk=article_id).body)
    others = Claim.objects.filter(article_id=article_id).exclude(pk=claim.pk if claim else None)
    taken = set(others.values_list("start", "end"))
    start = body["start"] % (length - 1)
    end = start + 1 + body["end"] % (length - start - 1)
    while (start, end) in taken:
        start, end = (start, end + 1) if end < length else ((start + 1) % (length - 1), (start + 1) % (length - 1) + 1)
    body["start"], body["end"] = start, end


def make_valid_cases_real(case, who: str) -> None:
    """Valid cases get real values where only the data says what is valid (see the module's docstring)."""
    if not (case.meta and case.meta.generation.mode.is_positive):
        return
    query = case.query or {}
    for opaque in ("cursor", "pageToken"):
        if query.get(opaque):
            del query[opaque]  # the first page: a cursor is only ever one the API gave
    if query.get("rating"):
        query["rating"] = "false"
    if who not in ("editor", "reviewer") and query.get("status") not in (None, *PUBLIC_STATUSES):
        query["status"] = "published"
    body = case.body if isinstance(case.body, dict) else None
    path = case.operation.path
    if path.startswith("/api/v1/webhooks/") and body is not None and "url" in body:
        body["url"] = f"https://hooks-{next(webhook_urls)}.example/fuzz"
    if not path.startswith("/api/v1/claims/") or case.method not in ("POST", "PATCH", "DELETE"):
        return
    claim = claim_of(case)
    if claim is not None:  # the version read: in If-Match, the body and the query, as the request has them
        if case.headers and case.headers.get("If-Match"):
            case.headers["If-Match"] = f'"claim-{claim.pk}-v{claim.version}"'
        if "version" in query:
            query["version"] = claim.version
        if body is not None and "version" in body:
            body["version"] = claim.version
    if body is None:
        return
    if "article" in body:
        body["article"] = world["articles"][0]
    if "start" in body or "end" in body:
        real_span(claim, body.get("article"), body)
    changes = body.get("changes")
    if isinstance(changes, dict) and ("start" in changes or "end" in changes):
        real_span(claim, None, changes)
    for fields in (body, changes if isinstance(changes, dict) else {}):
        if fields.get("checkable") is False:
            fields.pop("rating", None)  # a rule the schema cannot state: a claim not checkable carries no rating
        elif fields.get("rating"):
            fields["rating"] = "false"
    for field in ("url", "archived_url"):
        if body.get(field):  # a claim cites a source once
            body[field] = f"https://example.org/source/{field}/{next(source_urls)}"
    if case.operation.path.endswith("/revisions/") and case.method == "POST":
        body.pop("evidence", None)  # a proposal's sources are the claim's own, by id: keep them as they are
        if body.get("kind", "correction") == "correction":  # a correction must change something
            changed = changes if isinstance(changes, dict) else {}
            body["changes"] = {**changed, "verdict": f"Dikoreksi {next(source_urls)}"}


def call_as(who: str, case, fuzz_world: dict) -> None:
    aim_at_real_objects(case)
    make_valid_cases_real(case, who)
    key = fuzz_world["keys"][who]
    headers = {"Authorization": f"Api-Key {key}"} if key else {}
    # No ``checks``: every check schemathesis has, as configured above (max_response_time is off unless set).
    response = case.call_and_validate(headers=headers)
    answered[who, case.operation.label, response.status_code] += 1


def test_every_check_of_schemathesis_runs():
    """The fuzzing above runs every registered check: none is switched off in its configuration."""
    load_all_checks()
    config = schema.config.checks_config_for()
    names = CHECKS.get_all_names()
    assert len(names) >= 14
    assert all(config.get_by_name(name=name).enabled for name in names)


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_requests_never_get_a_5xx_and_match_the_schema(case, fuzz_world):
    call_as("anonymous", case, fuzz_world)


@schema.parametrize()
@FUZZ_SETTINGS
def test_editor_requests_never_get_a_5xx_and_match_the_schema(case, fuzz_world):
    call_as("editor", case, fuzz_world)


@schema.parametrize()
@FUZZ_SETTINGS
def test_reviewer_requests_never_get_a_5xx_and_match_the_schema(case, fuzz_world):
    call_as("reviewer", case, fuzz_world)


@schema.parametrize()
@FUZZ_SETTINGS
def test_partner_requests_never_get_a_5xx_and_match_the_schema(case, fuzz_world):
    call_as("partner", case, fuzz_world)


def test_the_fuzzer_sent_at_least_1000_requests_across_every_operation(request):
    """Runs after the four above (pytest keeps the file's order); skipped when some were deselected.

    1,000 at full strength; a run asking for fewer examples (`make test`) is held to its share of that.
    """
    operations = {result.ok().label for result in schema.get_all_operations()}
    fuzz_items = [item for item in request.session.items if "_never_get_a_5xx_" in item.name]
    if len(fuzz_items) < 4 * len(operations):
        pytest.skip("only part of the fuzzing ran")
    per_role = Counter()
    for (who, label, status), count in sorted(answered.items()):
        per_role[who] += count
        print(f"{who:<10} {label:<55} {status} x{count}")
    print(f"requests sent: {dict(per_role)}, {per_role.total()} in all")
    share = min(EXAMPLES_PER_OPERATION, FULL_STRENGTH) / FULL_STRENGTH
    assert per_role.total() >= 1000 * share, per_role
    assert all(per_role[who] >= 200 * share for who in ("anonymous", "editor", "reviewer", "partner")), per_role
    assert {label for _, label, _ in answered} == operations
