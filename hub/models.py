from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiState(models.Model):
    """One row whose `token` the database itself replaces on every write to a table the institution API reads
    (triggers installed by `hub.api.state`), whoever writes: `save()`, `QuerySet.update()`, `bulk_create()`, raw SQL,
    another process."""

    token = models.CharField(_("token"), max_length=32, default="")

    class Meta:
        verbose_name = _("API state")
        verbose_name_plural = _("API state")

    def __str__(self) -> str:
        return self.token
