"""The Instructors group: its exact permissions, the sync, createinstructor, and admin reach."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import roles
from tests.factories import make_course, make_lesson

pytestmark = pytest.mark.django_db


def group_codenames():
    group = Group.objects.get(name=roles.INSTRUCTORS)
    return {
        (p.content_type.app_label, p.codename)
        for p in group.permissions.select_related("content_type")
    }


def expected_codenames():
    wanted = set()
    for action in ("add", "change", "view"):
        wanted |= {("courses", f"{action}_course"), ("lessons", f"{action}_lesson")}
        wanted |= {("lessons", f"{action}_objective")}
        for label in ("quizzes", "matrix"):
            wanted |= {
                (label, f"{action}_{m._meta.model_name}")
                for m in apps.get_app_config(label).get_models()
            }
        wanted |= {("practice", f"{action}_block"), ("practice", f"{action}_blockchoice")}
    return wanted | {
        ("auth", "view_user"),
        ("accounts", "view_team"),
        ("accounts", "view_membership"),
        ("practice", "view_blockanswer"),
        ("progress", "view_objectivecoverage"),
    }


def test_migrations_create_the_group_with_exactly_the_instructor_permissions():
    assert group_codenames() == expected_codenames()
    assert not any(codename.startswith("delete_") for _, codename in group_codenames())


def test_sync_is_idempotent_and_restores_what_was_removed_or_added():
    group = Group.objects.get(name=roles.INSTRUCTORS)
    group.permissions.remove(Permission.objects.get(codename="change_lesson"))
    group.permissions.add(Permission.objects.get(codename="delete_group"))
    roles.sync_instructors_group()
    roles.sync_instructors_group()
    assert group_codenames() == expected_codenames()
    assert Group.objects.filter(name=roles.INSTRUCTORS).count() == 1


def test_sync_recreates_a_deleted_group():
    Group.objects.filter(name=roles.INSTRUCTORS).delete()
    roles.sync_instructors_group()
    assert group_codenames() == expected_codenames()


def test_every_migrate_syncs_the_group_so_later_models_are_covered():
    from django.core.management.sql import emit_post_migrate_signal

    group = Group.objects.get(name=roles.INSTRUCTORS)
    group.permissions.clear()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert group_codenames() == expected_codenames()


def test_createinstructor_makes_a_staff_account_in_the_group(monkeypatch, django_user_model):
    monkeypatch.setenv("DJANGO_INSTRUCTOR_PASSWORD", "Broad-reasoning-wins-7")
    call_command("createinstructor", "ines", "--email", "ines@example.com", "--no-input")
    user = django_user_model.objects.get(username="ines")
    assert user.is_staff and not user.is_superuser
    assert user.check_password("Broad-reasoning-wins-7")
    assert list(user.groups.values_list("name", flat=True)) == [roles.INSTRUCTORS]


def test_createinstructor_asks_for_the_password_twice(monkeypatch, django_user_model):
    monkeypatch.delenv("DJANGO_INSTRUCTOR_PASSWORD", raising=False)
    answers = iter(["Broad-reasoning-wins-7", "Broad-reasoning-wins-7"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("createinstructor", "ines")
    assert django_user_model.objects.get(username="ines").check_password("Broad-reasoning-wins-7")


def test_createinstructor_refuses_different_or_weak_passwords(monkeypatch, django_user_model):
    monkeypatch.delenv("DJANGO_INSTRUCTOR_PASSWORD", raising=False)
    answers = iter(["Broad-reasoning-wins-7", "something-else-8"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("createinstructor", "ines")
    monkeypatch.setenv("DJANGO_INSTRUCTOR_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("createinstructor", "ines", "--no-input")
    monkeypatch.delenv("DJANGO_INSTRUCTOR_PASSWORD")
    with pytest.raises(CommandError, match="No password"):
        call_command("createinstructor", "ines", "--no-input")
    assert not django_user_model.objects.filter(username="ines").exists()


def test_createinstructor_promotes_an_existing_account(make_user):
    user = make_user("lena")
    call_command("createinstructor", "lena", "--no-input")
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name=roles.INSTRUCTORS).exists()


@pytest.mark.parametrize(
    "url",
    [
        "admin:courses_course_changelist",
        "admin:courses_course_add",
        "admin:lessons_lesson_changelist",
        "admin:lessons_lesson_add",
        "admin:quizzes_quiz_changelist",
        "admin:auth_user_changelist",
    ],
)
def test_instructor_reaches_authoring_pages(instructor_client, url):
    assert instructor_client.get(reverse(url)).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "admin:auth_group_changelist",
        "admin:auth_group_add",
        "admin:auth_user_add",
        "admin:courses_enrollment_changelist",
    ],
)
def test_instructor_cannot_reach_other_admin_pages(instructor_client, url):
    assert instructor_client.get(reverse(url)).status_code == 403


def test_instructor_cannot_change_groups_or_users(instructor_client, instructor, make_user):
    group = Group.objects.get(name=roles.INSTRUCTORS)
    group_url = reverse("admin:auth_group_change", args=[group.pk])
    assert instructor_client.get(group_url).status_code == 403
    assert instructor_client.post(group_url, {"name": "Hacked"}).status_code == 403
    other = make_user("victim")
    user_url = reverse("admin:auth_user_change", args=[other.pk])
    page = instructor_client.get(user_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read-only
    response = instructor_client.post(user_url, {"username": "victim", "is_superuser": "on"})
    assert response.status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[instructor.pk])
    assert instructor_client.get(password_url).status_code == 403
    other.refresh_from_db()
    assert not other.is_superuser
    assert Group.objects.filter(name=roles.INSTRUCTORS).exists()


def test_instructor_cannot_delete_lessons_or_courses(instructor_client):
    lesson = make_lesson(course=make_course())
    assert (
        instructor_client.get(reverse("admin:lessons_lesson_delete", args=[lesson.pk])).status_code
        == 403
    )
    course_delete = reverse("admin:courses_course_delete", args=[lesson.course.pk])
    assert instructor_client.post(course_delete, {"post": "yes"}).status_code == 403


def test_admin_index_offers_instructors_only_their_apps(instructor_client):
    body = instructor_client.get(reverse("admin:index")).content.decode()
    assert "/admin/lessons/lesson/" in body and "/admin/courses/course/" in body
    assert "/admin/auth/group/" not in body
    assert "/admin/courses/enrollment/" not in body
