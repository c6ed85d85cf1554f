"""Team.courses gets a through model, Assignment, on the table the plain many-to-many made
(accounts_team_courses), with when each course was assigned and an optional due date; and
Profile, for the display name.

Existing rows keep their ids; their ``assigned_at`` is when this migration runs.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_team_help_and_reserved_slugs"),
        ("courses", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table exists: only the state learns of the model (its columns are the same).
            state_operations=[
                migrations.CreateModel(
                    name="Assignment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("team", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="assignments", to="accounts.team")),
                        ("course", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="assignments", to="courses.course")),
                    ],
                    options={"db_table": "accounts_team_courses"},
                ),
                migrations.AlterField(
                    model_name="team",
                    name="courses",
                    field=models.ManyToManyField(blank=True, help_text="The courses this team follows: the dashboard and the CSV cover these.", related_name="teams", through="accounts.Assignment", to="courses.course"),
                ),
            ],
        ),
        migrations.AddField(
            model_name="assignment",
            name="assigned_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="assignment",
            name="due_on",
            field=models.DateField(blank=True, help_text="Optional. Members should complete the course by the end of this day; dashboards show who is late and reminders are sent as it nears.", null=True),
        ),
        migrations.SeparateDatabaseAndState(
            # The many-to-many's own unique index on (team, course) stays; the state names it.
            state_operations=[
                migrations.AddConstraint(
                    model_name="assignment",
                    constraint=models.UniqueConstraint(fields=("team", "course"), name="unique_assignment"),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Profile",
            fields=[
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="profile", serialize=False, to=settings.AUTH_USER_MODEL)),
                ("display_name", models.CharField(blank=True, help_text="The name your team's managers and your certificates show; your username when empty.", max_length=150)),
            ],
        ),
    ]
