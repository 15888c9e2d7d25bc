"""Create the "Catalog curator" group with every permission of the foods app."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Catalog curator"


def create_curator_group(apps, schema_editor):
    # Permissions are normally made after migrate (post_migrate); make the foods ones now.
    app_config = apps.get_app_config("foods")
    app_config.models_module = True  # a migration state stub has none; create_permissions needs it
    create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=GROUP_NAME)
    group.permissions.set(
        Permission.objects.using(schema_editor.connection.alias).filter(
            content_type__app_label="foods"
        )
    )


def delete_curator_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("foods", "0002_allergens"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_curator_group, delete_curator_group)]
