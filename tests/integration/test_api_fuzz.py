"""Property-based fuzzing of the institution API against its own OpenAPI schema (schemathesis).

Every operation is called with generated parameters and bodies, authenticated as an institution holding both
scopes: no call may answer 5xx, and every response must conform to the schema (status code, content type,
headers, body). Calls without a key or with a wrong one must be refused with 401. Examples are derandomised
and bounded, so CI replays the same cases in a minute or two.
"""

from __future__ import annotations

import uuid
import zlib
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Flaky, FlakyStrategyDefinition
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.constants import NOT_SET

from hub.wsgi import application
from institutions.models import Institution
from messaging.models import Message
from tests.factories import InstitutionFactory, MessageFactory
from tests.messaging.api_helpers import issue_key

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """schemathesis calls the WSGI application itself, whose request signals close "old" connections; inside the
    test's transaction that would close PostgreSQL's connection mid-test. Django's test client disconnects the
    same handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _nothing_cached_by_earlier_tests():
    """The shared cache (Redis here) outlives each test's rolled-back transaction: nothing an earlier test left in
    it (failed-key counts, throttles) may change answers in the middle of a run, where Hypothesis would see the
    same steps answered differently (FlakyStrategyDefinition, seen once after the whole suite, never alone)."""
    cache.clear()


EXAMPLES_PER_OPERATION = 40
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)


@pytest.fixture
def institution(db: None) -> Institution:
    institution = InstitutionFactory(slug="moi")
    other = InstitutionFactory(slug="part")
    MessageFactory.create_published()
    MessageFactory.create_published(audience_of=[institution])
    MessageFactory.create_published(audience_of=[other])
    MessageFactory()  # a draft
    return institution


@pytest.fixture
def schema(institution: Institution) -> Any:
    return schemathesis.from_wsgi("/api/v1/schema/", application, data_generation_methods=["positive", "negative"])


def _operations(schema: Any) -> list[Any]:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8, [op.verbose_name for op in operations]
    return operations


def _path_parameters(operation: Any) -> dict[str, str]:
    return {name: str(uuid.uuid4()) for name in ("message_id",) if "{" + name + "}" in operation.path}


def _fuzz(operation: Any, key: str, known_ids: list[str], failures: list[str]) -> Any:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Api-Key {key}"}
        # Half the cases address real messages, so the 200 shapes are validated too (crc32: stable across runs).
        pick = zlib.crc32(repr((case.query, case.body)).encode())
        if case.path_parameters and "message_id" in case.path_parameters and pick % 2 == 0:
            case.path_parameters["message_id"] = known_ids[pick % len(known_ids)]
        response = case.call_wsgi()
        try:
            case.validate_response(response, checks=CHECKS)
        except AssertionError as error:
            failures.append(f"{operation.verbose_name}: {error}\n{case.as_curl_command()}")
            raise

    return fuzz


def test_api_fuzz_answers_every_generated_request_within_the_schema(schema, institution):
    key = issue_key(institution, scopes=("read", "acknowledge"))
    known_ids = [str(key_) for key_ in Message.objects.filter(live=True).values_list("translation_key", flat=True)]
    failures: list[str] = []

    for operation in _operations(schema):
        try:
            _fuzz(operation, key, known_ids, failures)()
        except Exception as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.verbose_name}: {type(error).__name__}: {error}")

    assert failures == [], "\n\n".join(failures)


@pytest.mark.parametrize(
    "authorization", [None, "Api-Key not-a-key", "Api-Key abcdefgh.0123456789abcdef", "Bearer something"]
)
def test_api_fuzz_refuses_every_operation_without_a_valid_key(schema, authorization):
    for operation in _operations(schema):
        case = operation.make_case(
            path_parameters=_path_parameters(operation) or None,
            headers={"Authorization": authorization} if authorization else None,
            body={"version": 1} if operation.method.upper() == "POST" else NOT_SET,
            media_type="application/json" if operation.method.upper() == "POST" else None,
        )
        response = case.call_wsgi()
        assert response.status_code == 401, f"{operation.verbose_name} answered {response.status_code}"
        assert response.json["code"] in {"not_authenticated", "authentication_failed"}
        # The calendar feed also takes HTTP Basic (calendar applications send nothing else), and says so.
        calendar = operation.definition.raw.get("operationId") == "calendar_ics"
        challenge = 'Basic realm="Tawasul calendar"' if calendar else "Api-Key"
        assert response.headers["WWW-Authenticate"] == challenge, operation.verbose_name


# Stateful: the acknowledgement flow --------------------------------------------------------------------------
# Links feed one response into the next call: a listed message is acknowledged at the version shown, its
# acknowledgements are read back, and acknowledging the same version again is answered as already recorded.
# (source, status, target, parameters, body). Schemathesis names a transition by its target and status, so each
# (target, status) appears once.
ACKNOWLEDGEMENT_LINKS = [
    (
        "messages_list",
        "200",
        "acknowledgements_create",
        {"path.message_id": "$response.body#/results/0/id"},
        {"kind": "message", "version": "$response.body#/results/0/version"},
    ),
    (
        "acknowledgements_create",
        "201",
        "acknowledgements_list",
        {"path.message_id": "$response.body#/message_id"},
        None,
    ),
    (
        "acknowledgements_create",
        "201",
        "acknowledgements_create",
        {"path.message_id": "$response.body#/message_id"},
        {"kind": "message", "version": "$response.body#/version"},
    ),
]


def _acknowledgement_flow(key: str, walked: dict[str, Any], extra_check: Any = None, *, isolated: bool = True) -> Any:
    """The flow's state machine, calling the API with `key`. `walked` gathers, over the whole run, how often each
    operation was called ("calls") and whether an acknowledgement was created ("created"); `extra_check(response,
    case)` is run after the flow's own checks.

    Each example runs in a savepoint that is rolled back at its end (`isolated`), so every example starts from the
    database the fixtures made. A failing example is replayed by Hypothesis (to shrink it, then to report it), and
    the replay must see the answers the first pass saw: against acknowledgements an earlier pass had written, the
    first acknowledgement of a version is answered 200 instead of 201, the 201 links are not followed, and
    Hypothesis raises FlakyStrategyDefinition in place of the failure. The first failure of the run is also kept
    and reported whatever Hypothesis makes of it."""
    schema = schemathesis.from_wsgi(
        "/api/v1/schema/", application, data_generation_methods=[schemathesis.DataGenerationMethod.positive]
    )
    for source, status, target, parameters, body in ACKNOWLEDGEMENT_LINKS:
        schema.add_link(
            source=schema.get_operation_by_id(source),
            target=schema.get_operation_by_id(target),
            status_code=status,
            parameters=parameters,
            request_body=body,
        )
    calls: dict[str, int] = walked.setdefault("calls", {})
    failures: list[str] = walked.setdefault("failures", [])

    class AcknowledgementFlow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            self.recorded: dict[tuple[str, int], int] = {}  # (message id, version) -> status of the first answer
            self.savepoint = transaction.atomic() if isolated else None
            if self.savepoint is not None:
                self.savepoint.__enter__()

        def teardown(self) -> None:
            if self.savepoint is not None:
                transaction.set_rollback(True)
                self.savepoint.__exit__(None, None, None)

        def _add_results_to_targets(self, targets: Any, results: Any) -> None:
            """Each result into the bundle its response matches (`_get_target_for_result`), as schemathesis 3.39
            does under the name Hypothesis used before 6.131; without this every result landed in `catch_all`
            and no link was ever followed."""
            for result in results:
                target = self._get_target_for_result(result) if result is not None else None
                if target is not None:
                    super()._add_results_to_targets((target,), [result])

        def before_call(self, case: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Api-Key {key}"}
            if case.operation.verbose_name == "GET /api/v1/messages/":
                case.query = {}  # the flow starts from the whole list (a generated cursor is refused with 404)

        def step(self, case: Any, previous: Any = None) -> Any:
            try:
                return super().step(case, previous)
            except BaseException as error:
                if not failures:
                    failures.append(f"{case.operation.verbose_name}: {type(error).__name__}: {error}")
                raise

        def validate_response(self, response: Any, case: Any, additional_checks: tuple = ()) -> None:
            calls[case.operation.verbose_name] = calls.get(case.operation.verbose_name, 0) + 1
            case.validate_response(response, checks=CHECKS)
            if case.method.upper() == "POST" and response.status_code in (200, 201):
                document = response.json
                pair = (document["message_id"], document["version"])
                if pair in self.recorded:  # idempotent: the second acknowledgement of a version creates nothing
                    assert response.status_code == 200, f"acknowledged {pair} twice with 201"
                self.recorded.setdefault(pair, response.status_code)
                walked["created"] = walked.get("created", False) or response.status_code == 201
            if case.method.upper() == "GET" and "acknowledgements" in case.path and response.status_code == 200:
                listed = {(ack["message_id"], ack["version"]) for ack in response.json}
                mine = {pair for pair in self.recorded if pair[0] == case.path_parameters["message_id"]}
                assert mine <= listed, f"acknowledgements missing from the list: {mine - listed}"
            if extra_check is not None:
                extra_check(response, case)

    return AcknowledgementFlow


def _run_flow(flow: Any, walked: dict[str, Any], max_examples: int) -> None:
    try:
        flow.run(
            settings=settings(
                max_examples=max_examples,
                stateful_step_count=8,
                derandomize=True,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
        )
    except BaseException as error:
        if walked["failures"]:
            error.add_note(f"First failing step of the run: {walked['failures'][0]}")
        raise


def test_api_fuzz_stateful_acknowledgement_flow(institution):
    # Valid data only: the flow is about what each answer lets the next call do (the stateless run sends the rest).
    walked: dict[str, Any] = {}
    _run_flow(_acknowledgement_flow(issue_key(institution, scopes=("read", "acknowledge")), walked), walked, 25)
    # The flow was walked: messages were acknowledged through the links, and read back.
    calls = walked["calls"]
    assert walked.get("created"), calls
    assert any("acknowledgements" in name and name.startswith("GET") for name in calls), calls


def _repeat_refused(response: Any, case: Any) -> None:
    """A stand-in for an API that mishandles a state the flow reaches: the second acknowledgement of a version."""
    assert not (case.method.upper() == "POST" and response.status_code == 200), "repeated acknowledgement accepted"


@pytest.mark.parametrize("isolated", [True, False], ids=["savepoint-per-example", "shared-database"])
def test_api_fuzz_stateful_failure_is_reported_as_itself(institution, isolated):
    """A step that fails on a state the flow reaches is reported as that failure, shrunk: with every example in its
    own savepoint, Hypothesis's replay meets the same answers. Sharing the database between examples (as the flow
    once did) turns the same failure into FlakyStrategyDefinition, which named neither the step nor the answer."""
    walked: dict[str, Any] = {}
    flow = _acknowledgement_flow(issue_key(institution), walked, _repeat_refused, isolated=isolated)
    expected = AssertionError if isolated else FlakyStrategyDefinition
    with pytest.raises(expected) as raised:
        _run_flow(flow, walked, 25)
    if isolated:
        assert "repeated acknowledgement accepted" in str(raised.value)
        assert not isinstance(raised.value, Flaky)
    assert walked["failures"][0].startswith("POST /api/v1/messages/{message_id}/acknowledgements/: AssertionError")
