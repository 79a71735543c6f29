"""The admin's image and document forms, with one rule added: the file of an image or document that content uses
cannot be replaced. A message or page names its media by id, so a new file under the same id would change
published content without a revision, a review or an approval; a new upload chosen in the content's editor is
an edit like any other. Wagtail's usage (the reference index) says what uses it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm
from wagtail.models import ReferenceIndex


def file_replacement_refused(form: Any, message: Any) -> None:
    instance = form.instance
    if instance.pk and "file" in form.changed_data and ReferenceIndex.get_references_to(instance).exists():
        form.add_error("file", message)


class ImageForm(BaseImageForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        file_replacement_refused(
            self,
            _(
                "This image is used by a message or a page, so its file cannot be replaced here. Upload the new "
                "image on its own and choose it in the message or page: the change is then reviewed."
            ),
        )
        return cleaned


class DocumentForm(BaseDocumentForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        file_replacement_refused(
            self,
            _(
                "This document is used by a message or a page, so its file cannot be replaced here. Upload the "
                "new document on its own and choose it in the message or page: the change is then reviewed."
            ),
        )
        return cleaned
