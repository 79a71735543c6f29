from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models.expressions import Combinable
from django.utils import timezone


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
        through = self.model._meta.get_field("audience").remote_field.through  # type: ignore[union-attr]
        named = through.objects.filter(message_id=models.OuterRef("pk"), institution_id=institution_id)
        return self.filter(models.Q(audience_all=True) | models.Exists(named))

    def public(self, at: datetime | None = None) -> MessageQuerySet:
        at = at or timezone.now()
        return self.filter(is_public=True, audience_all=True).filter(
            models.Q(embargo_until__isnull=True) | models.Q(embargo_until__lte=at)
        )

    def in_language(self, language_code: str) -> MessageQuerySet:
        return self.filter(locale__language_code=language_code)
