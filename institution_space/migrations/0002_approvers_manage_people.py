"""Approvers (who already manage institutions and their keys) manage institutions' contacts and users."""

from django.db import migrations

MODELS = ["institutioncontact", "institutionmember"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    approvers = Group.objects.filter(name="Approvers").first()
    if approvers is None:
        return
    for model in MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="institution_space", model=model)
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
            )
            approvers.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("institution_space", "0001_initial"), ("messaging", "0002_roles_and_approval_workflow")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
