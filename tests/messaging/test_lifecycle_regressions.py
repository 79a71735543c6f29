"""Sequences the lifecycle state machine found, kept as explicit regression examples."""

from __future__ import annotations

import pytest

from tests.messaging.test_lifecycle_model import Lifecycle

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_search_backend")]


def _replay(*steps: tuple[str, dict]) -> None:
    """Runs one sequence the state machine found, with every invariant checked after each step."""
    machine = Lifecycle()
    try:
        machine.check_invariants_now()
        for name, arguments in steps:
            getattr(machine, name)(**arguments)
            machine.check_invariants_now()
    finally:
        machine.teardown()


def test_regression_version_is_not_rewound_by_an_edit_after_emergency_releases() -> None:
    # The editor rebuilt the object from the revision saved before two emergency releases and wrote its version 0
    # back to the row, so the next release was numbered 1 again.
    _replay(
        ("create", {"audience": "moi"}),
        ("emergency_publish", {"index": 0}),
        ("emergency_publish", {"index": 0}),
        ("translate_and_submit", {"index": 0}),
        ("withdraw", {"index": 0, "language": "ar"}),
        ("edit_and_submit", {"index": 0, "audience": "moi"}),
        ("emergency_publish", {"index": 0}),
    )


def test_regression_a_resubmission_after_changes_were_requested_is_reviewed_from_the_first_step() -> None:
    _replay(
        ("create", {"audience": "all"}),
        ("reject", {"index": 0, "language": "ar", "role": "reviewer"}),
        ("edit_and_submit", {"index": 0, "audience": "all"}),
        ("approve", {"index": 0, "language": "ar", "role": "boss", "before_translation": True}),
        ("reject", {"index": 0, "language": "ar", "role": "approver"}),
    )


def test_regression_release_before_translation_counts_only_on_the_final_step() -> None:
    # The reviewer ticked "release the Arabic now" on the first step; the final approver did not, so the message
    # must wait for its translation.
    _replay(
        ("create", {"audience": "moi"}),
        ("approve", {"index": 0, "language": "ar", "role": "reviewer", "before_translation": True}),
        ("approve", {"index": 0, "language": "ar", "role": "boss", "before_translation": False}),
    )


def test_regression_the_first_step_approver_may_still_request_changes_on_the_second() -> None:
    # The two-person rule bars the first step's approver from approving the second step; it took away
    # "Request changes" too, so the reviewer who saw a problem late could not send the work back.
    _replay(
        ("create", {"audience": "all"}),
        ("approve", {"index": 0, "language": "ar", "role": "boss", "before_translation": False}),
        ("reject", {"index": 0, "language": "ar", "role": "boss"}),
    )


def test_regression_an_audience_narrowed_on_the_source_narrows_the_translation_too() -> None:
    # Each language row carries its own audience; the English row must follow the source's live audience, and the
    # institution left out gets a tombstone for both languages (feed, webhooks, API).
    _replay(
        ("create", {"audience": "all"}),
        ("translate_and_submit", {"index": 0}),
        ("approve", {"index": 0, "language": "ar", "role": "reviewer", "before_translation": False}),
        ("approve", {"index": 0, "language": "ar", "role": "approver", "before_translation": False}),
        ("approve", {"index": 0, "language": "en", "role": "reviewer", "before_translation": False}),
        ("approve", {"index": 0, "language": "en", "role": "approver", "before_translation": False}),
        ("edit_and_submit", {"index": 0, "audience": "part"}),
        ("approve", {"index": 0, "language": "ar", "role": "reviewer", "before_translation": False}),
        ("approve", {"index": 0, "language": "ar", "role": "approver", "before_translation": False}),
        ("withdraw", {"index": 0, "language": "en"}),
    )


def test_regression_a_doubled_create_is_reviewed_and_returned_like_any_other() -> None:
    # The same new-message form posted twice with "Submit" (autosave racing the button): one message, one review,
    # whose second step can still request changes.
    _replay(
        ("create", {"audience": "all", "twice": True}),
        ("approve", {"index": 0, "language": "ar", "role": "reviewer", "before_translation": False}),
        ("reject", {"index": 0, "language": "ar", "role": "approver2"}),
    )


def test_regression_translating_a_successor_drafts_the_superseded_message_in_english() -> None:
    # wagtail-localize translated the superseded message with its successor (a draft, never live); a translation
    # requested for it afterwards is a sync of that draft.
    _replay(
        ("create", {"audience": "all"}),
        ("create", {"audience": "moi", "supersedes": 0}),
        ("translate_and_submit", {"index": 1}),
        ("delete", {"index": 1}),
        ("translate_and_submit", {"index": 0}),
    )


def test_explicit_an_update_held_for_its_translation_through_the_machine() -> None:
    # Not found by the machine but written out, so the held update's whole path is checked on every run: released
    # in both languages, updated and held by the final approver, translated from the held strings, reviewed, and
    # only then live in both languages at the new version (institutions, feed, webhooks and the public agree).
    _replay(
        ("create", {"audience": "all"}),
        ("translate_and_submit", {"index": 0}),
        ("approve", {"index": 0, "language": "en", "role": "reviewer", "before_translation": False}),
        ("approve", {"index": 0, "language": "en", "role": "approver", "before_translation": False}),
        ("approve", {"index": 0, "language": "ar", "role": "reviewer", "before_translation": False}),
        ("approve", {"index": 0, "language": "ar", "role": "approver", "before_translation": False}),
        ("edit_and_submit", {"index": 0, "audience": "moi"}),
        ("approve", {"index": 0, "language": "ar", "role": "reviewer", "before_translation": False}),
        ("approve", {"index": 0, "language": "ar", "role": "approver2", "before_translation": False, "hold": True}),
        ("translate_and_submit", {"index": 0}),
        ("approve", {"index": 0, "language": "en", "role": "boss", "before_translation": False}),
        ("approve", {"index": 0, "language": "en", "role": "approver", "before_translation": False}),
    )


def test_regression_an_emergency_release_of_a_scheduled_draft_goes_live_at_once() -> None:
    # The draft carried a go-live time a day ahead: the emergency release only scheduled it, without its emergency
    # flags, and the scheduler's publish at that time was refused (not approved by two people).
    _replay(
        ("create", {"audience": "moi", "schedule": True}),
        ("emergency_publish", {"index": 0}),
        ("go_live_times_pass", {}),
    )


def test_explicit_a_scheduled_release_through_the_machine() -> None:
    # Written out so a scheduled first release and a scheduled update are checked on every run: nothing is seen
    # before the go-live time; at it the Arabic and its approved translation go live together; an update approved
    # for a later time replaces the live version only then, with its new audience.
    _replay(
        ("create", {"audience": "moi", "schedule": True}),
        ("translate_and_submit", {"index": 0}),
        ("approve", {"index": 0, "language": "en", "role": "reviewer", "before_translation": False}),
        ("approve", {"index": 0, "language": "en", "role": "approver", "before_translation": False}),
        ("approve", {"index": 0, "language": "ar", "role": "reviewer", "before_translation": False}),
        ("approve", {"index": 0, "language": "ar", "role": "approver", "before_translation": False}),
        ("go_live_times_pass", {}),
        ("edit_and_submit", {"index": 0, "audience": "all", "schedule": True}),
        ("approve", {"index": 0, "language": "ar", "role": "reviewer", "before_translation": False}),
        ("approve", {"index": 0, "language": "ar", "role": "approver2", "before_translation": False}),
        ("go_live_times_pass", {}),
        ("withdraw", {"index": 0, "language": "en"}),
    )


def test_regression_an_expiry_passes_the_embargo_that_ends_before_it() -> None:
    # The expiry passed while the message's embargo was still a day ahead, a state the form refuses (the embargo
    # ends before the expiry); its English copy then failed that rule, and wagtail-localize's "Translate" answered
    # 500 (now a form message: tests/messaging/test_lifecycle_admin.py).
    _replay(
        ("create", {"audience": "all"}),
        ("reject", {"index": 0, "language": "ar", "role": "boss"}),
        ("edit_and_submit", {"index": 2, "audience": "part", "embargo": True, "schedule": True}),
        ("emergency_publish", {"index": 0}),
        ("expire", {"index": 0}),
        ("translate_and_submit", {"index": 0}),
    )
