"""The admin's two roles as groups, with exactly the permissions each needs.

Django creates permissions after all migrations (post_migrate); they are created
here first so that the groups get them on a fresh database too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from poles.roles import NATIONAL_TEAM_GROUP, POLE_STAFF_GROUP
from poles.services import sync_staff_groups


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # create_permissions skips an app without a models module, as a migration's
        # registry has; the value is put back so that a real registry stays whole.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    sync_staff_groups(apps=apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[NATIONAL_TEAM_GROUP, POLE_STAFF_GROUP]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("poles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("entreprises", "0003_directory_indexes"),
        ("evenements", "0001_initial"),
        ("chantier", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
