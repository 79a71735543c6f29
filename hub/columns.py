"""Admin listing columns shared by the apps' viewsets."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from wagtail.admin.ui.tables import Column


class YesNoColumn(Column):
    """A true/false field as a word in the reader's language ("نعم"/"لا", "Yes"/"No"), not `True`/`False` or an
    icon whose only text is `True`."""

    def get_value(self, instance: Any) -> str:
        value = super().get_value(instance)
        if value is None:
            return "—"
        return gettext("Yes") if value else gettext("No")
