"""The strict Content-Security-Policy in Chromium: the admin works under it, and it bites.

The browser conftest records every console error and every ``securitypolicyviolation`` event
on every page and fails the test on any. These tests log in to the Django admin through its
own form and use the parts of it that run JavaScript (prepopulated slugs, the two-box
many-to-many chooser, inline rows with autocomplete, date shortcuts, the live lesson preview,
changelist actions), open the changelist, add form and a change form of every registered
model, and check that an injected inline script and style attribute are refused.

Django 6.1's admin templates put the request's nonce on what needs one and keep their scripts
in static files, so the admin needs nothing beyond the policy in SECURE_CSP. The one console
error it caused was not the policy's: with no <link rel="icon"> the browser asked for
/favicon.ico and logged the 404; templates/admin/base_site.html adds the site's icon.
"""

import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Team
from courses.models import Course
from lessons.models import Lesson
from tests.security.roles import ANONYMOUS, LEARNER, SUPERUSER, make_roles
from tests.security.urlmap import url_patterns


@pytest.fixture
def site(transactional_db):
    """The shipped course material and the seven roles' users."""
    call_command("load_content", "content", verbosity=0)
    return make_roles()


def admin_login(page, live_server, user, password):
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_admin_forms_with_javascript_work_under_the_policy(page, live_server, site, password, snap):
    admin_login(page, live_server, site.users[SUPERUSER], password)
    course = Course.objects.order_by("order").first()

    page.goto(live_server.url + reverse("admin:accounts_team_add"))
    page.get_by_label("Name:").press_sequentially("Ward Seven Nurses")
    expect(page.get_by_label("Slug:")).to_have_value("ward-seven-nurses")  # prepopulate.js
    # The inline rows' course and user fields are select2 autocompletes fed by the admin's
    # JSON view; the due date is a plain date input.
    page.locator("#assignments-0 .select2-selection").click()
    page.locator(".select2-search__field").fill(course.title[:12])
    page.locator(".select2-results__option", has_text=course.title).click()
    page.locator("#id_assignments-0-due_on").fill("2099-01-31")
    page.locator("#memberships-0 .select2-selection").click()
    page.locator(".select2-search__field").fill("role-learner")
    page.locator(".select2-results__option", has_text="role-learner").click()
    snap(page, "team-add-filled")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    team = Team.objects.get(slug="ward-seven-nurses")
    assert [(a.course_id, str(a.due_on)) for a in team.assignments.all()] == [(course.pk, "2099-01-31")]

    team = Team.objects.get(slug="ward-seven-nurses")
    assert list(team.courses.all()) == [course]
    assert [m.user for m in team.memberships.all()] == [site.users[LEARNER]]

    # A changelist action (actions.js counts the selection and enables the button).
    old_code = team.invite_code
    page.get_by_role("row", name=re.compile("Ward Seven Nurses")).get_by_role("checkbox").check()
    expect(page.locator(".action-counter")).to_contain_text("1 of")
    page.get_by_label("Action:").select_option(label="Renew invite links (the old links stop working)")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("Renewed the invite link of 1 team(s).")
    team.refresh_from_db()
    assert team.invite_code != old_code

    user = site.users[LEARNER]
    page.goto(live_server.url + reverse("admin:auth_user_change", args=[user.pk]))
    shortcuts = page.locator(".datetimeshortcuts").first  # DateTimeShortcuts.js
    shortcuts.get_by_role("button", name=re.compile("^Today")).click()
    expect(page.locator("input.vDateField").first).to_have_value(re.compile(r"^\d\d/\d\d/\d{4}$"))
    shortcuts.locator("button").click()  # the calendar dialog
    expect(page.locator("dialog[open]")).to_be_visible()
    snap(page, "user-change-calendar")


def test_the_lesson_preview_runs_under_the_policy(page, live_server, site, password):
    admin_login(page, live_server, site.users[SUPERUSER], password)
    lesson = Lesson.objects.order_by("pk").first()
    page.goto(live_server.url + reverse("admin:lessons_lesson_change", args=[lesson.pk]))
    body = page.locator("#id_body")
    body.fill("## Preview under the policy\n\nA *strict* CSP.")
    preview = page.get_by_role("heading", name="Preview under the policy")
    expect(preview).to_be_visible()


def admin_pages(superuser):
    """Every registered model's changelist, its add form when adding is allowed, and the
    change form of its first object when there is one."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        yield reverse(f"{prefix}_changelist")
        if model_admin.has_add_permission(request):
            yield reverse(f"{prefix}_add")
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            yield reverse(f"{prefix}_change", args=[obj.pk])


def test_every_admin_page_loads_without_a_policy_violation(page, live_server, site, password, page_errors):
    superuser = site.users[SUPERUSER]
    admin_login(page, live_server, superuser, password)
    seen = []
    for path in admin_pages(superuser):
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        page.wait_for_load_state("load")
        assert page_errors == [], f"{path}: {page_errors}"
        seen.append(path)
    assert len(seen) >= 3 * 5, seen


PUBLIC_PAGES = [r.path() for r in url_patterns() if not r.parameters and not r.is_admin]
PAGE_CASES = [(role, path) for role in (ANONYMOUS, LEARNER) for path in PUBLIC_PAGES]


@pytest.mark.parametrize(("role", "path"), PAGE_CASES, ids=[f"{r}-{p}" for r, p in PAGE_CASES])
def test_every_page_without_parameters_loads_without_a_policy_violation(
    page, live_server, site, login, page_errors, role, path
):
    response = site.client(role).get(path)
    if response.status_code == 405 or not response.get("Content-Type", "").startswith("text/html"):
        return  # a POST-only URL (log-out) or a file (the revocation list): there is no page to load
    if role != ANONYMOUS:
        login(page, site.users[role])
    page.goto(live_server.url + path)
    page.wait_for_load_state("load")
    errors = list(page_errors)
    page_errors.clear()  # reported here, with the path, rather than by the fixture
    assert errors == [], f"{path}: {errors}"


def test_an_injected_inline_script_is_refused(page, live_server, site, page_errors):
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.injected = true';
            document.body.append(script);
            const p = document.createElement('p');
            p.setAttribute('style', 'color: red');
            document.body.append(p);
        }"""
    )
    assert page.evaluate("() => window.injected === undefined")

    def violated(directive):
        return any(e.startswith(f"CSP violation: {directive}") for e in page_errors)

    for _ in range(50):  # the events arrive asynchronously; wait at most five seconds
        if violated("script-src") and violated("style-src"):
            break
        page.wait_for_timeout(100)
    assert violated("script-src"), page_errors
    assert violated("style-src"), page_errors
    page_errors.clear()  # expected here; the fixture fails the test on anything left
