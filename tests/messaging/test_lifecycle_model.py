"""A model-based test of the message lifecycle through the admin's own HTTP views.

Hypothesis drives random sequences of real admin requests (Wagtail's editor, workflow actions and unpublish view,
wagtail-localize's translate, sync and editor views, our emergency publishing) by every role, and after every step
compares with a plain-Python oracle of the rules what institutions see (the API, a mirror of the change feed kept
from its own cursor and one replayed from 0, a mirror fed by the webhooks each endpoint was sent, `/api/v1/me/`'s
compliance figures) and what the public sees (the Atom feed of each language): two distinct approvers who are not
the author, translations reviewed by someone other than their translator, parity on first release ("Arabic now,
translation to follow" only when asked), an update held for its translation going live with it, withdrawal of every
language, and an audience change reaching every language of the message at once (an institution left out gets a
tombstone). Each part of the checks runs after every step that changed something it reads (`_fingerprints`). The
oracle is `tests/messaging/lifecycle_oracle.py`, the checks `tests/messaging/lifecycle_checks.py`.

A communicator may set the editor's go-live time a day ahead when submitting; the final approval then schedules
the release (the source, and a translation approved at its content, go live together at that time), and "time
passes" moves every go-live time into the past and runs the scheduler as production runs it
(`scheduled_publish_run`). The oracle expects nothing of a scheduled release before then, and everything after.

`TAWASUL_LIFECYCLE_EXAMPLES` and `TAWASUL_LIFECYCLE_STEPS` set the size of the run (defaults below). The examples
are shared out between `TAWASUL_LIFECYCLE_SHARDS` test items (4), each a Hypothesis run of its share with examples
of its own: `make test` and `make test-all` run these items (marked `model`) after the rest of the suite, two at a
time, one per core (pytest-xdist's `-n 2`). `--hypothesis-seed=S` gives shard k the seed "S.k".
"""

from __future__ import annotations

import itertools
import json
import os
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from wagtail.models import Revision
from wagtail_localize.models import TranslationSource

from institutions.models import InstitutionAPIKey
from messaging.models import Message
from messaging.services.schedule import embargo_lifts_record, scheduled_publish_run
from tests.messaging.admin_forms import message_form, strings_typed
from tests.messaging.api_helpers import issue_key
from tests.messaging.lifecycle_checks import LifecycleChecks
from tests.messaging.lifecycle_oracle import ROLES, STEP_GROUPS, Expected, Oracle, Workflow, refusal
from tests.messaging.lifecycle_world import World


@pytest.fixture
def wagtail_tasks_after_commit(settings: Any) -> None:
    """Wagtail's background tasks (its reference index, modelsearch's updates) queued for after the commit, as
    production queues them (`hub.tasks_backend`), not run inside the request as the test settings' immediate
    backend runs them. An example is rolled back, never committed, so they never run: nothing the model checks
    reads them."""
    settings.TASKS = {"default": {"BACKEND": "hub.tasks_backend.CeleryTaskBackend"}}


# The checks read no search index (the engine's freshness has its own tests): the database backend keeps our own
# indexing on the path, at the cost of a local write instead of an engine's durable one.
pytestmark = [
    pytest.mark.model,
    pytest.mark.django_db,
    pytest.mark.timeout(1800),
    pytest.mark.usefixtures("database_search_backend", "wagtail_tasks_after_commit"),
]

EXAMPLES = int(os.environ.get("TAWASUL_LIFECYCLE_EXAMPLES", "200"))
STEPS = int(os.environ.get("TAWASUL_LIFECYCLE_STEPS", "30"))
SHARDS = int(os.environ.get("TAWASUL_LIFECYCLE_SHARDS", "4"))


class Lifecycle(LifecycleChecks, RuleBasedStateMachine):
    world: World | None = None  # set by the test for its run; a machine made alone (a regression) makes its own

    def __init__(self) -> None:
        super().__init__()
        # Each example runs in a savepoint of the test's transaction and is rolled back at its end.
        self.example = transaction.atomic()
        self.example.__enter__()
        world = Lifecycle.world or World.create()
        self.world = world
        self.users, self.clients, self.topic = world.users, world.clients, world.topic
        self.institutions, self.endpoints, self.en = world.institutions, world.endpoints, world.en
        self.keys = dict(world.keys)
        self.cursors = {slug: 0 for slug in self.institutions}
        self.mirrors: dict[str, dict[tuple[str, str], int]] = {slug: {} for slug in self.institutions}
        self.oracle = Oracle()
        self.notes = itertools.count(1)
        self.tokens = (uuid.UUID(int=n) for n in itertools.count(1))
        self.hook_mirrors: dict[str, dict[tuple[str, str], int]] = {slug: {} for slug in self.institutions}
        self.hook_positions = {slug: 0 for slug in self.institutions}
        # Every example starts from the same rows and an empty oracle, mirrors and cursors: the start is checked
        # once per run (the fingerprint says whether the rollback restored it).
        self.checked = dict(world.start_checked)
        self.started = True

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.example.__exit__(None, None, None)
        cache.clear()

    # Helpers

    def _row(self, pk: int, language: str) -> Message | None:
        source = Message.objects.get(pk=pk)
        if language == "ar":
            return source
        return Message.objects.filter(translation_key=source.translation_key, locale=self.en).first()

    def _submit_form(self, expected: Expected, **extra: object) -> dict:
        data = message_form(
            topic=self.topic.pk,
            owner=self.institutions["moi"].pk,
            key_message=f"الرسالة الرئيسية رقم {expected.content}",
            change_note=f"تعديل {next(self.notes)}",
            **extra,
        )
        if expected.content in expected.scheduled:
            data["go_live_at"] = (timezone.now() + timezone.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
        if expected.draft_embargoed:
            data["embargo_until"] = (timezone.now() + timezone.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
        if expected.supersedes is not None:
            superseded = next((pk for pk, other in self.oracle.messages if other is expected.supersedes), None)
            if superseded is None:  # deleted since: the link went with it
                expected.supersedes = None
            else:
                data["supersedes"] = superseded
        if expected.draft_audience == "all":
            data["is_public"] = "on"
        else:
            data.pop("audience_all", None)
            data["audience"] = [self.institutions[expected.draft_audience].pk]
        return {**data, "action-submit": "on"}

    # Rules

    @precondition(lambda self: len(self.oracle.all()) < 4)
    @rule(
        audience=st.sampled_from(["all", "moi"]),
        supersedes=st.none() | st.integers(0, 2),
        twice=st.booleans(),
        schedule=st.booleans(),
    )
    def create(self, audience: str, supersedes: int | None = None, twice: bool = False, schedule: bool = False) -> None:
        """A new message, possibly replacing an earlier one; `twice` posts the same form again, as an autosave
        racing the Save button does (one message whatever arrives); `schedule` sets its go-live time a day ahead."""
        expected = Expected(draft_audience=audience, scheduled={0} if schedule else set())
        if supersedes is not None and self.oracle.messages:
            expected.supersedes = self.oracle.pick(supersedes)[1]
        before = set(Message.objects.values_list("pk", flat=True))
        url = reverse("wagtailsnippets_messaging_message:add") + "?locale=ar"
        data = {**self._submit_form(expected), "creation_token_value": str(next(self.tokens))}
        for _attempt in range(2 if twice else 1):
            response = self.clients["communicator"].post(url, data)
            assert response.status_code == 302, response.content[:500]
        (pk,) = set(Message.objects.values_list("pk", flat=True)) - before
        expected.key = str(Message.objects.get(pk=pk).translation_key)
        expected.ar_workflow = Workflow("communicator")
        self.oracle.messages.append((pk, expected))

    @precondition(lambda self: self.oracle.messages)
    @rule(
        index=st.integers(0, 2),
        audience=st.sampled_from(["all", "moi", "part"]),
        embargo=st.booleans(),
        schedule=st.booleans(),
    )
    def edit_and_submit(self, index: int, audience: str, embargo: bool = False, schedule: bool = False) -> None:
        """The communicator edits and submits; `schedule` sets the editor's go-live time a day ahead (the
        approvals then schedule the release instead of putting it live)."""
        pk, expected = self.oracle.pick(index)
        if expected.ar_workflow is not None:
            return  # in moderation: the communicator's editor is locked
        expected.content += 1
        if schedule:
            expected.scheduled.add(expected.content)
        expected.draft_audience = audience
        expected.draft_embargoed = embargo
        response = self.clients["communicator"].post(
            reverse("wagtailsnippets_messaging_message:edit", args=(pk,)), self._submit_form(expected)
        )
        assert response.status_code == 302, response.content[:500]
        expected.ar_held = False
        expected.ar_workflow = Workflow("communicator")

    @precondition(lambda self: self.oracle.messages)
    @rule(
        index=st.integers(0, 2),
        language=st.sampled_from(["ar", "en"]),
        role=st.sampled_from(ROLES),
        before_translation=st.booleans(),
        hold=st.booleans(),
    )
    def approve(self, index: int, language: str, role: str, before_translation: bool, hold: bool = False) -> None:
        pk, expected = self.oracle.pick(index)
        workflow = expected.ar_workflow if language == "ar" else expected.en_workflow
        row = self._row(pk, language)
        if workflow is None or row is None:
            return
        task_state = row.current_workflow_state.current_task_state
        url = reverse("wagtailsnippets_messaging_message:workflow_action", args=(row.pk, "approve", task_state.pk))
        data = {
            "comment": "",
            **({"release_before_translation": "on"} if before_translation else {}),
            **({"hold_for_translation": "on"} if hold else {}),
        }
        response = self.clients[role].post(url, data)
        assert response.status_code in (200, 302, 403)
        if refusal(workflow, role):
            return
        workflow.approvers.append(role)
        workflow.step += 1
        if workflow.step < 2:
            return
        if language == "ar":
            expected.ar_workflow = None
            expected.source_approved(before_translation, hold)
        else:
            expected.en_workflow = None
            expected.translation_approved()

    @precondition(lambda self: self.oracle.messages)
    @rule(index=st.integers(0, 2), language=st.sampled_from(["ar", "en"]), role=st.sampled_from(ROLES))
    def reject(self, index: int, language: str, role: str) -> None:
        pk, expected = self.oracle.pick(index)
        workflow = expected.ar_workflow if language == "ar" else expected.en_workflow
        row = self._row(pk, language)
        if workflow is None or row is None:
            return
        task_state = row.current_workflow_state.current_task_state
        url = reverse("wagtailsnippets_messaging_message:workflow_action", args=(row.pk, "reject", task_state.pk))
        response = self.clients[role].post(url, {"comment": "يحتاج تعديلا"})
        assert response.status_code in (200, 302, 403)
        if role not in STEP_GROUPS[workflow.step]:
            return
        row.refresh_from_db()
        assert row.current_workflow_state is None or row.current_workflow_state.status == "needs_changes"
        # Rejected: the next submission starts the review again (every step, on the new content).
        if language == "ar":
            expected.ar_workflow = None
        else:
            expected.en_workflow = None

    @precondition(lambda self: self.oracle.messages)
    @rule(index=st.integers(0, 2))
    def translate_and_submit(self, index: int) -> None:
        """The translator requests (or syncs) the English translation, translates every string and submits it."""
        pk, expected = self.oracle.pick(index)
        translator = self.clients["translator"]
        source = Message.objects.get(pk=pk)
        if expected.en_workflow is not None:
            return
        # A message whose successor was translated has an English draft already: wagtail-localize translates the
        # objects a translation links to (`supersedes`) with it.
        if not expected.en_exists and self._row(pk, "en") is None:
            response = translator.post(
                reverse("wagtail_localize:submit_snippet_translation", args=("messaging", "message", pk)),
                {"locales": [self.en.pk]},
            )
            assert response.status_code == 302, response.content[:500]
        else:
            extract = TranslationSource.objects.get(object_id=source.translation_key)
            response = self.clients["approver"].post(f"/admin/localize/update/{extract.pk}/", {})
            assert response.status_code == 302, response.content[:500]
        strings_typed(source, self.users["translator"], lambda arabic: f"EN {arabic}")
        english = self._row(pk, "en")
        response = translator.post(
            reverse("wagtailsnippets_messaging_message:edit", args=(english.pk,)), {"action": "publish"}
        )
        assert response.status_code == 302
        expected.translation_submitted()

    @precondition(lambda self: self.oracle.messages)
    @rule(index=st.integers(0, 2))
    def emergency_publish(self, index: int) -> None:
        pk, expected = self.oracle.pick(index)
        url = reverse("wagtailsnippets_messaging_message:emergency_publish", args=(pk,))
        response = self.clients["approver2"].post(url, {"reason": "طارئ"})
        assert response.status_code == 302, response.content[:500]
        expected.emergency_published()

    @precondition(lambda self: self.oracle.messages)
    @rule(index=st.integers(0, 2), language=st.sampled_from(["ar", "en"]))
    def withdraw(self, index: int, language: str) -> None:
        pk, expected = self.oracle.pick(index)
        row = self._row(pk, language)
        if row is None or not row.live:
            return
        url = reverse("wagtailsnippets_messaging_message:unpublish", args=(row.pk,))
        response = self.clients["approver"].post(url, {"reason": "سحب"})
        assert response.status_code == 302
        expected.withdraw()

    @precondition(lambda self: self.oracle.messages)
    @rule(index=st.integers(0, 2))
    def expire(self, index: int) -> None:
        """Time passes the message's expiry; the scheduler takes it offline. An expiry comes after the message's
        go-live time and the end of its embargo (the form refuses otherwise): when its rows hold one still ahead (a
        day ahead, as the model sets them all), time passes those first, as their own steps pass them."""
        pk, expected = self.oracle.pick(index)
        source = Message.objects.get(pk=pk)
        rows = Message.objects.filter(translation_key=source.translation_key)
        if rows.filter(go_live_at__gt=timezone.now()).exists():
            self.go_live_times_pass()
        if rows.filter(embargo_until__gt=timezone.now()).exists():
            self.embargoes_end()
        Message.objects.filter(translation_key=source.translation_key, live=True).update(
            expire_at=timezone.now() - timezone.timedelta(seconds=1)
        )
        call_command("publish_scheduled", verbosity=0)
        expected.withdraw()

    @precondition(lambda self: self.oracle.messages)
    @rule(index=st.integers(0, 2))
    def delete(self, index: int) -> None:
        """A superuser deletes the Arabic row (with a reason when it is live): every language is withdrawn first."""
        pk, _expected = self.oracle.deleted(index)
        response = self.clients["boss"].post(
            reverse("wagtailsnippets_messaging_message:delete", args=(pk,)), {"reason": "حذف"}
        )
        assert response.status_code == 302, response.content[:500]

    @staticmethod
    def _time_passes(name: str) -> None:
        """Time passes every `name` date still ahead: moved into the past wherever it is kept (the rows, their
        revisions, the strings wagtail-localize extracted from them) and in the approved schedules, so what was made
        from one content still matches it."""
        past = timezone.now() - timezone.timedelta(seconds=1)
        Message.objects.filter(**{f"{name}__gt": past}).update(**{name: past})
        if name == "go_live_at":
            Revision.objects.filter(approved_go_live_at__gt=past).update(approved_go_live_at=past)
        for revision in Revision.objects.filter(**{f"content__{name}__isnull": False}):
            value = revision.content[name]
            if value and timezone.datetime.fromisoformat(value) > past:
                revision.content = {**revision.content, name: past.isoformat()}
                revision.save(update_fields=["content"])
        for extract in TranslationSource.objects.filter(content_json__contains=f'"{name}": "'):
            content = json.loads(extract.content_json)
            if content.get(name) and timezone.datetime.fromisoformat(content[name]) > past:
                extract.content_json = json.dumps({**content, name: past.isoformat()}, cls=DjangoJSONEncoder)
                extract.save(update_fields=["content_json"])

    @rule()
    def go_live_times_pass(self) -> None:
        """Time passes every go-live time; the scheduler, as production runs it, puts what fell due live."""
        self._time_passes("go_live_at")
        assert scheduled_publish_run()
        self.oracle.go_live_due()

    @rule()
    def embargoes_end(self) -> None:
        """Time passes every embargo's end; the scheduler records the lifts and the public sees the messages."""
        self._time_passes("embargo_until")
        call_command("publish_scheduled", verbosity=0)
        embargo_lifts_record()
        self.oracle.embargoes_end()

    @rule(slug=st.sampled_from(["moi", "part"]))
    def revoke_and_reissue_key(self, slug: str) -> None:
        """A key is revoked (as the admin's key page saves it) and refused at once; the institution's new key lists
        the same set. The institution's other answers (its feed, webhooks and figures) are made of rows a key does
        not change: they are checked, with the new key, after the next step that changes them."""
        old = self.keys[slug]
        key = InstitutionAPIKey.objects.get(prefix=old.split(".")[0])
        key.revoked = True
        key.save()
        self.keys[slug] = issue_key(self.institutions[slug])
        assert self.world.api(old).get("/api/v1/messages/").status_code == 401
        expected = self.oracle.visible(slug)
        assert self._listed(slug) == expected, (slug, "new key", expected)
        self.oracle.delivered(slug)  # the list recorded the delivery

    # Invariants

    @invariant()
    def answers_match_the_oracle(self) -> None:
        fingerprints = self._fingerprints()
        started, self.started = self.started, False
        stale = [part for part, fingerprint in fingerprints.items() if self.checked.get(part) != fingerprint]
        if not stale:
            return
        self.check_invariants_now(stale)
        after = self._fingerprints()  # the checks record deliveries and relay events
        self.checked = {**self.checked, **{part: after[part] for part in stale}}
        if started:
            self.world.start_checked = self.checked


@pytest.mark.parametrize("shard", range(SHARDS))
def test_lifecycle_through_the_admin_matches_the_oracle(shard: int, request: pytest.FixtureRequest) -> None:
    forced = request.config.getoption("hypothesis_seed", None)
    if forced is not None:  # each shard draws its own examples, all reproducible from the one seed given
        seed(f"{forced}.{shard}")(Lifecycle)
    Lifecycle.TestCase.settings = settings(
        max_examples=EXAMPLES // SHARDS + (shard < EXAMPLES % SHARDS),
        stateful_step_count=STEPS,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    Lifecycle.world = World.create()
    try:
        Lifecycle.TestCase().runTest()
    finally:
        Lifecycle.world = None
