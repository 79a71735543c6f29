"""Images and documents for the roles: communicators upload and choose them for messages and campaign pages;
translators, reviewers and approvers choose them (a translation may show another image; a reviewer may edit).

Only the uploader may change or delete an upload (Wagtail's owner rule for "add"); nobody here holds "change" or
"delete" over the whole library.
"""

from django.db import migrations

ROLE_MEDIA_PERMISSIONS = {
    "Communicators": ["add", "choose"],
    "Translators": ["choose"],
    "Reviewers": ["choose"],
    "Approvers": ["add", "choose"],
}
MEDIA_MODELS = [("wagtailimages", "image"), ("wagtaildocs", "document")]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for role, actions in ROLE_MEDIA_PERMISSIONS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for app_label, model in MEDIA_MODELS:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )
                GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def revoke(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(
        group__name__in=list(ROLE_MEDIA_PERMISSIONS),
        permission__content_type__app_label__in=[app for app, _ in MEDIA_MODELS],
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0007_message_media"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
