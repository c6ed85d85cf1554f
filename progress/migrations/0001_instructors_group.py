"""Create the "Instructors" group with its permissions (see accounts/roles.py)."""

from django.db import migrations


def create_instructors_group(apps, schema_editor):
    from accounts.roles import sync_instructors_group

    sync_instructors_group(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    # After the latest migration of every app whose models the group covers; models added
    # later are picked up by the post_migrate hook in AccountsConfig.ready.
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0003_team_help_and_reserved_slugs"),
        ("courses", "0002_initial"),
        ("lessons", "0002_lesson_headings"),
        ("matrix", "0001_initial"),
        ("quizzes", "0002_attempt_choice_order_and_constraints"),
    ]

    operations = [migrations.RunPython(create_instructors_group, migrations.RunPython.noop)]
