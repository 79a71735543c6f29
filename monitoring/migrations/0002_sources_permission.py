"""Approvers (who manage institutions and their API keys) register and manage institutions' sources."""

from django.db import migrations

CODENAMES = ["add_source", "change_source", "delete_source", "view_source"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    approvers, _ = Group.objects.get_or_create(name="Approvers")
    content_type, _ = ContentType.objects.get_or_create(app_label="monitoring", model="source")
    for codename in CODENAMES:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": f"Can {codename.replace('_', ' ')}"}
        )
        approvers.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Approvers"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="monitoring", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
        ("messaging", "0002_roles_and_approval_workflow"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
