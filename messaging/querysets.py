from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models.expressions import Combinable
from django.utils import timezone

TO_EVERYONE = models.Q(audience_all=True)
"""The first branch of the "addressed to" rule: a message to everyone is addressed to every institution."""


class MessageQuerySet(models.QuerySet):
    """Chainable filters; the visibility rule itself is composed in `messaging.selectors`."""

    def live_now(self, at: datetime | None = None) -> MessageQuerySet:
        at = at or timezone.now()
        return self.filter(live=True, expired=False).filter(
            models.Q(go_live_at__isnull=True) | models.Q(go_live_at__lte=at),
            models.Q(expire_at__isnull=True) | models.Q(expire_at__gt=at),
        )

    def addressed_to(self, institution_id: int | Combinable) -> MessageQuerySet:
        """The "addressed to" rule, the one copy of it: the audience is everyone or names the institution.
        `institution_id` may be an expression (an `OuterRef` resolved from inside a subquery of this queryset),
        so aggregate reads (`institutions.compliance`) apply the same rule per row."""
        # EXISTS on the pair (message, institution), not `pk IN (the institution's audience rows)`: evaluated per
        # message row, the pair is one probe of the audience's unique index, where the IN form read every audience
        # row of the institution for each row (a correlated subquery is not hashed). No join, so no DISTINCT.
        named = self._audience_rows().filter(message_id=models.OuterRef("pk"), institution_id=institution_id)
        return self.filter(TO_EVERYONE | models.Exists(named))

    def addressed_counts(self, institution_ids: Iterable[int]) -> dict[int, int]:
        """`self.addressed_to(I).count()` for each institution I given, in two queries whatever their number.

        The same rule read by its two branches: the messages to everyone count for every institution, and each
        institution adds the others that name it (no message is in both branches). Asking `addressed_to` once
        per institution would evaluate the rule for every (message, institution) pair, 200 × 100,000 of them."""
        ids = list(institution_ids)
        everyone, named = self.addressed_count_rows(ids)
        return addressed_counts_of(ids, list(everyone), list(named))

    def addressed_count_rows(self, institution_ids: list[int]) -> tuple[models.QuerySet[Any], models.QuerySet[Any]]:
        """The two queries of `addressed_counts`, not yet run (so a caller may compile them): the messages to
        everyone (at most one row, its `n`), and per institution given the others naming it (`institution_id`,
        `n`). `addressed_counts_of` adds them up."""
        everyone = self.filter(TO_EVERYONE).order_by().values("audience_all").annotate(n=models.Count("pk"))
        named = (
            self._audience_rows()
            .filter(message__in=self.exclude(TO_EVERYONE), institution_id__in=institution_ids)
            .order_by()
            .values("institution_id")
            .annotate(n=models.Count("message_id"))  # (message, institution) is unique: no DISTINCT
        )
        return everyone, named

    def _audience_rows(self) -> models.QuerySet[Any]:
        """The rows naming each message's institutions (the audience when it is not everyone)."""
        return self.model._meta.get_field("audience").remote_field.through.objects.all()  # type: ignore[union-attr]

    def public(self, at: datetime | None = None) -> MessageQuerySet:
        at = at or timezone.now()
        return self.filter(is_public=True, audience_all=True).filter(
            models.Q(embargo_until__isnull=True) | models.Q(embargo_until__lte=at)
        )

    def in_language(self, language_code: str) -> MessageQuerySet:
        return self.filter(locale__language_code=language_code)


def addressed_counts_of(
    institution_ids: Iterable[int], everyone: list[dict[str, Any]], named: list[dict[str, Any]]
) -> dict[int, int]:
    """The rows of `MessageQuerySet.addressed_count_rows`, added up per institution."""
    to_everyone = sum(row["n"] for row in everyone)
    others = {row["institution_id"]: row["n"] for row in named}
    return {pk: to_everyone + others.get(pk, 0) for pk in institution_ids}
