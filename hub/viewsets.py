"""What the apps' admin viewsets share."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class AddItemLabelMixin:
    """A viewset that names its listing's add button itself.

    Wagtail builds the label as "Add %(model_name)s" from the model's verbose name, which in Arabic is definite
    (it is a column heading and a subject elsewhere: "المؤسسة"), so the button read "إضافة المؤسسة". A phrase of its
    own translates as Arabic wants it: "إضافة مؤسسة".
    """

    add_item_label: str | Promise = ""

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        if self.add_item_label:
            kwargs.setdefault("add_item_label", self.add_item_label)
        view_kwargs: dict[str, Any] = super().get_index_view_kwargs(**kwargs)  # type: ignore[misc]
        return view_kwargs
