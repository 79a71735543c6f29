"""The lifecycle model's oracle: the rules in plain Python, with no database and no hub code.

`tests/messaging/test_lifecycle_model.py` drives the admin and tells the oracle what each request asked for; the
oracle says what institutions and the public must then see. Only the message ids (`key`, read from the row the
admin created) tie it to the hub's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("communicator", "translator", "reviewer", "approver", "approver2", "boss")
STEP_GROUPS = ({"reviewer", "boss"}, {"approver", "approver2", "boss"})


@dataclass
class Workflow:
    submitter: str
    step: int = 0
    approvers: list[str] = field(default_factory=list)


@dataclass
class Expected:
    """The oracle's picture of one message."""

    draft_audience: str  # "all", or the slug of the one institution it is addressed to; public when "all"
    key: str = ""  # the message id (the rows' translation key)
    audience: str = ""  # the audience of the live version (every language follows the source's)
    draft_embargoed: bool = False
    embargoed: bool = False  # the live version's embargo has not ended: institutions see it, the public not yet
    supersedes: Expected | None = None
    content: int = 0  # which Arabic content the latest revision holds
    ar_live: bool = False
    ar_version: int = 0
    ar_live_content: int = -1
    ar_workflow: Workflow | None = None
    ar_held: bool = False  # approved, waiting for the translation
    hold: bool = False  # the final approver held an update of a released message for its translation
    to_follow: bool = False
    en_exists: bool = False
    en_made_from: int = -1
    en_workflow: Workflow | None = None
    en_approved: bool = False  # approved and not yet live (waiting for the source)
    en_live: bool = False
    en_version: int = 0
    scheduled: set[int] = field(default_factory=set)  # Arabic contents whose go-live time is still ahead
    pending: tuple[str, int, str, bool] | None = None  # approved for a go-live time ahead: ("ar" or "both",
    # and the content, audience and embargo approved)
    delivered: set[str] = field(default_factory=set)  # institutions that read the live Arabic in the API
    withdrawn_from: set[str] = field(default_factory=set)  # ... and then got its tombstone

    def en_ready(self) -> bool:
        return self.en_approved and self.en_made_from == self.content

    def release(self, what: str) -> None:
        """The approved latest Arabic revision goes live ("ar") or goes live with its translation ("both"), now,
        or at its go-live time when that is still ahead (a later release of another revision replaces it)."""
        self.pending = None
        if self.content in self.scheduled:
            self.pending = (what, self.content, self.draft_audience, self.draft_embargoed)
            self.ar_held = self.hold = False
            return
        self.ar_goes_live() if what == "ar" else self.release_both()

    def go_live_due(self) -> None:
        """Time passes every go-live time: a pending release goes live, with the content approved then."""
        self.scheduled.clear()
        if self.pending is None:
            return
        what, *approved = self.pending
        latest = (self.content, self.draft_audience, self.draft_embargoed)
        self.content, self.draft_audience, self.draft_embargoed = approved
        self.ar_goes_live() if what == "ar" else self.release_both()
        self.content, self.draft_audience, self.draft_embargoed = latest

    def ar_goes_live(self) -> None:
        """The latest Arabic revision goes live (with its audience, which the translation follows)."""
        self.ar_live, self.ar_version, self.ar_held, self.hold = True, self.ar_version + 1, False, False
        self.pending = None
        self.ar_live_content, self.audience = self.content, self.draft_audience
        self.embargoed = self.draft_embargoed
        self.withdrawn_from = {slug for slug in self.withdrawn_from if not self.sees(slug)}
        if self.supersedes is not None:
            self.supersedes.withdraw()

    def release_both(self) -> None:
        self.ar_goes_live()
        self.en_live, self.en_version, self.en_approved = True, self.ar_version, False
        self.to_follow = False

    def sees(self, slug: str) -> bool:
        return self.audience in ("all", slug)

    def withdraw(self) -> None:
        if self.ar_live:
            self.withdrawn_from |= {slug for slug in self.delivered if self.sees(slug)}
            self.pending = None  # withdrawing cancels what was scheduled
        self.ar_live = self.en_live = False

    def source_approved(self, before_translation: bool, hold: bool) -> None:
        """The final step approved the Arabic source."""
        first = self.ar_version == 0 and not self.to_follow
        if first and before_translation:
            self.to_follow = True
            first = False
        if self.ar_version > 0:
            self.hold = hold  # each approval of an update decides again
        if not first and not self.hold:
            self.release("ar")
        elif self.en_ready():
            self.release("both")
        else:
            self.ar_held = True

    def translation_approved(self) -> None:
        """The final step approved the English translation."""
        self.en_approved = True
        if self.ar_live and self.hold and self.ar_held and self.en_ready():
            self.release("both")  # the update held for this translation goes live with it
        elif self.ar_live:
            self.en_live, self.en_version, self.en_approved = True, self.ar_version, False
            self.to_follow = False
        elif self.ar_held and self.en_ready():
            self.release("both")

    def translation_submitted(self) -> None:
        """The translator translated what wagtail-localize offered and submitted it for review: the latest draft
        before the first release, the live version after, unless an approved update is held for its translation."""
        offered = not self.ar_live or (self.hold and self.ar_held)
        self.en_exists = True
        self.en_made_from = self.content if offered else self.ar_live_content
        self.en_approved = False
        self.en_workflow = Workflow("translator")

    def emergency_published(self) -> None:
        if self.ar_version == 0:
            self.to_follow = True
        self.ar_goes_live()
        self.ar_workflow = None  # publishing cancels the workflow in progress


def refusal(workflow: Workflow, role: str) -> bool:
    """The approval is refused: not of the step's group, the submitter, a writer, or an approver of an earlier
    step."""
    return (
        role not in STEP_GROUPS[workflow.step]
        or role == workflow.submitter
        or role in {"communicator", "translator"}
        or role in workflow.approvers
    )


@dataclass
class Oracle:
    """Every message the run created: `messages` (Arabic pk, picture) still exist, `gone` were deleted."""

    messages: list[tuple[int, Expected]] = field(default_factory=list)
    gone: list[Expected] = field(default_factory=list)

    def all(self) -> list[Expected]:
        return [message for _pk, message in self.messages] + self.gone

    def pick(self, index: int) -> tuple[int, Expected]:
        return self.messages[index % len(self.messages)]

    def deleted(self, index: int) -> tuple[int, Expected]:
        pk, expected = self.messages.pop(index % len(self.messages))
        self.gone.append(expected)
        for _pk, other in self.messages:
            if other.supersedes is expected:
                other.supersedes = None
        expected.withdraw()
        return pk, expected

    def visible(self, slug: str) -> dict[tuple[str, str], int]:
        """What the institution's API list and its mirrors must hold: (message id, language) → version."""
        out = {}
        for _pk, expected in self.messages:
            if not expected.sees(slug):
                continue
            if expected.ar_live:
                out[(expected.key, "ar")] = expected.ar_version
            if expected.en_live:
                out[(expected.key, "en")] = expected.en_version
        return out

    def delivered(self, slug: str) -> None:
        """The institution's API list was read: every live message it sees counts as delivered to it."""
        for _pk, message in self.messages:
            if message.ar_live and message.sees(slug):
                message.delivered.add(slug)

    def compliance(self, slug: str) -> dict[str, int]:
        """The institution's figures in `/api/v1/me/` (nothing is acknowledged in a run)."""
        live = [message for _pk, message in self.messages if message.ar_live and message.sees(slug)]
        withdrawn = [message for message in self.all() if slug in message.withdrawn_from and slug in message.delivered]
        return {
            "live_messages": len(live),
            "delivered_current": len(live),
            "acknowledged_current": 0,
            "withdrawals_unacknowledged": len(withdrawn),
        }

    def public(self, language: str) -> set[str]:
        """The message ids the public Atom feed of `language` lists."""
        return {
            message.key
            for _pk, message in self.messages
            if (message.ar_live if language == "ar" else message.en_live)
            and message.audience == "all"
            and not message.embargoed
        }

    def go_live_due(self) -> None:
        for message in self.all():
            message.go_live_due()

    def embargoes_end(self) -> None:
        for message in self.all():
            message.embargoed = message.draft_embargoed = False
