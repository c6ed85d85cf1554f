"""Who may do what beyond a learner: previewing drafts, and the "Instructors" group.

``can_preview_drafts`` is the one rule for seeing unpublished courses, lessons, quizzes and
matrices as a learner will see them; every page that shows drafts asks it.

The "Instructors" group: what authors may do in the admin, defined here and kept in sync.

Instructors add, change and view courses, lessons and their objectives, every model of the quizzes and matrix
apps, and practice blocks with their choices; they view (never change) users, teams and
learners' answers to blocks and the objective coverage list. Nothing else: no deleting, no groups, no
other admin pages. ``sync_instructors_group`` is called by the data migration
``progress/0001_instructors_group`` and again after every ``migrate`` (see AccountsConfig),
so models added later are covered without a new migration.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

INSTRUCTORS = "Instructors"
AUTHOR_ACTIONS = ("add", "change", "view")
VIEW_ACTIONS = ("view",)
# app label -> model names, or None for every model in the app.
AUTHORED_MODELS = {
    "courses": ["course"],
    "lessons": ["lesson", "objective"],
    "quizzes": None,
    "matrix": None,
    "practice": ["block", "blockchoice"],
}
VIEWED_MODELS = {
    "auth": ["user"],
    "accounts": ["team", "membership"],
    "practice": ["blockanswer"],
    "progress": ["objectivecoverage"],
}


def can_preview_drafts(user, model) -> bool:
    """Whether ``user`` sees drafts of ``model`` (a course, lesson, quiz or matrix) as learners
    will see them once published: active staff who may view that model in the admin.

    Learners and visitors never do. A preview can show what learners must not see yet (a
    quiz's answers in its staff preview), so being staff is not enough: the Instructors group
    and superusers have the view permission; other staff accounts see what a learner sees.
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def _app_config(apps, label):
    try:
        return apps.get_app_config(label)
    except LookupError:
        return None


def _ensure_permissions(app_config, apps, using) -> None:
    # Inside a migration the app configs are stubs without models_module, which
    # create_permissions takes to mean "no models"; point it at something truthy meanwhile.
    is_stub = getattr(app_config, "models_module", None) is None
    if is_stub:
        app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    finally:
        if is_stub:
            app_config.models_module = None


def instructor_permissions(*, apps=global_apps) -> set[tuple[str, str]]:
    """The (app label, codename) pairs the Instructors group should hold."""
    wanted = set()
    for models, actions in ((AUTHORED_MODELS, AUTHOR_ACTIONS), (VIEWED_MODELS, VIEW_ACTIONS)):
        for label, names in models.items():
            app_config = _app_config(apps, label)
            if app_config is None:
                continue
            if names is None:
                names = [model._meta.model_name for model in app_config.get_models()]
            wanted |= {(label, f"{action}_{name}") for name in names for action in actions}
    return wanted


def sync_instructors_group(*, apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Create the Instructors group if needed and give it exactly the permissions above."""
    labels = set(AUTHORED_MODELS) | set(VIEWED_MODELS)
    for label in sorted(labels):
        app_config = _app_config(apps, label)
        if app_config is not None:
            _ensure_permissions(app_config, apps, using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = instructor_permissions(apps=apps)
    candidates = (
        Permission.objects.using(using)
        .filter(content_type__app_label__in=labels)
        .select_related("content_type")
    )
    permissions = [p for p in candidates if (p.content_type.app_label, p.codename) in wanted]
    group, _ = Group.objects.using(using).get_or_create(name=INSTRUCTORS)
    group.permissions.set(permissions)
    return group


def sync_after_migrate(sender, *, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver: keep the group in step with models added since its migration."""
    sync_instructors_group(apps=apps, using=using)
