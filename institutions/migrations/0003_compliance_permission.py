"""Who sees the compliance reports: centre leadership, that is the Approvers group (and superusers).

`institutions.view_compliance` opens the three reports under Reports and the dashboard panel;
`institutions.add_acknowledgement` lets the holder record an acknowledgement on behalf of an institution.
"""

from django.db import migrations

GRANTS = [("institution", "view_compliance", "Can view compliance reports"), ("acknowledgement", "add_acknowledgement", "Can add acknowledgement")]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    approvers, _ = Group.objects.get_or_create(name="Approvers")
    for model, codename, name in GRANTS:
        content_type, _ = ContentType.objects.get_or_create(app_label="institutions", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        approvers.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="institutions", codename="view_compliance").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0002_ledger"),
        ("messaging", "0002_roles_and_approval_workflow"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
