"""Release permissions for each role, and the "Release approval" workflow: the same two `TwoPersonApprovalTask`
steps as messages (Editorial review by Reviewers, then Centre approval by Approvers)."""

from django.db import migrations

ROLE_PERMISSIONS = {
    "Communicators": ["add", "change", "lock", "unlock"],
    "Reviewers": ["change"],
    "Approvers": ["add", "change", "delete", "publish", "lock", "unlock"],
}
STEPS = ["Editorial review", "Centre approval"]


def create_permissions_and_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    TwoPersonApprovalTask = apps.get_model("messaging", "TwoPersonApprovalTask")

    release_type, _ = ContentType.objects.get_or_create(app_label="releases", model="release")
    for role, actions in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=release_type,
                codename=f"{action}_release",
                defaults={"name": f"Can {action} release"},
            )
            group.permissions.add(permission)

    tasks = [TwoPersonApprovalTask.objects.filter(name=name).first() for name in STEPS]
    if any(task is None for task in tasks):
        return
    workflow, _ = Workflow.objects.get_or_create(name="Release approval", defaults={"active": True})
    for order, task in enumerate(tasks):
        WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": order})
    WorkflowContentType.objects.update_or_create(content_type=release_type, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0001_initial"),
        ("messaging", "0002_roles_and_approval_workflow"),
    ]

    operations = [migrations.RunPython(create_permissions_and_workflow, migrations.RunPython.noop)]
