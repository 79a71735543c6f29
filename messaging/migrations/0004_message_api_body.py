from typing import Any

from django.db import migrations, models
from django.db.models import TextField
from django.db.models.functions import Cast

CHUNK = 1000


def api_body_write(apps: Any, schema_editor: Any) -> None:
    """Render the API's message house for the rows saved before the column existed. Rows left empty are still
    served (the API builds their rendering per request), so this is for speed, not correctness."""
    from messaging.rendering import api_body_json

    message = apps.get_model("messaging", "Message")
    rows = message.objects.filter(api_body__isnull=True).order_by("pk")
    after = 0
    while chunk := list(rows.filter(pk__gt=after).values_list("pk", Cast("body", TextField()))[:CHUNK]):
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE messaging_message SET api_body = %s WHERE id = %s",
                [(api_body_json(body or "[]"), pk) for pk, body in chunk],
            )
        after = chunk[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0003_message_visibility_instants"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="api_body",
            field=models.TextField(
                editable=False,
                help_text="JSON, written on every save; empty until then (the API then builds it from the message house).",
                null=True,
                verbose_name="message house as the API presents it",
            ),
        ),
        migrations.RunPython(api_body_write, migrations.RunPython.noop, elidable=True),
    ]
