"""The layering contract of the apps, and a checker that finds every dependency breaking it.

Apps depend downwards only (DESIGN.md, "Layout" and "Round 2: one rule, one home"):

    layer 0  core                 the base layer: the Markdown pipeline, the content toolkit
    layer 1  accounts, courses
    layer 2  lessons, matrix      (on courses)
    layer 3  quizzes, practice    (on lessons)
    layer 4  review               (cards from the answers of quizzes and practice)
             search               (an index of lessons, quizzes and matrices)
             certificates         (issued when lessons and quizzes make a course complete)
    layer 5  progress             (reads everything but the mail)
    layer 6  notifications        (reminders, digests and nudges, from progress's rules)

An app may depend on its own layer's apps only through a documented exception (``EXCEPTIONS``).
``config`` is the project package: it may import anything, and apps may import only the
project-level infrastructure listed in ``CONFIG_IMPORTABLE``.

``find_violations(root)`` reads the source, without importing it, and reports each dependency
that goes up a layer or sideways, found through

- imports (``import x``, ``from x import y``, relative imports, imports inside functions);
- string model references (``"lessons.Lesson"`` naming another app's model), calls of
  ``get_model("label", "Model")``, and ``Model._meta.get_field("name")`` reaching a model of
  another app through a relation;
- templates: ``{% load lib %}`` of a tag library defined in ``<app>/templatetags/<lib>.py``, and
  ``{% include %}``/``{% extends %}`` of another app's template (``"<app>/..."``). A template
  belongs to the app of its folder: ``templates/<app>/...`` or ``<app>/templates/...``.

Migrations are skipped: they are history, written by Django from the models.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

LAYERS: dict[str, int] = {
    "core": 0,
    "accounts": 1,
    "courses": 1,
    "lessons": 2,
    "matrix": 2,
    "quizzes": 3,
    "practice": 3,
    "review": 4,
    "search": 4,
    "certificates": 4,
    "progress": 5,
    "notifications": 6,
}

PROJECT_PACKAGE = "config"

# What apps may import from ``config``, and why. The rest of ``config`` (settings, urls, views,
# wsgi/asgi, staticfinders) is wiring that sits above every app; an app reads settings through
# ``django.conf.settings``, never by importing ``config.settings``.
CONFIG_IMPORTABLE: dict[str, str] = {
    "config.page_cache": "the shared-page decorator every public view wears; it reads models "
    "only through settings.PAGE_CACHE_MODELS, so importing it pulls no app upwards",
    "config.security": "request-level protections (middleware and their helpers)",
    "config.personal_pages": "the per-learner page decorator; like the page cache it reads "
    "models only by label (its PERSONAL_STATE), so importing it pulls no app upwards",
    "config.csrf_tokens": "Django's CSRF tokens for the kept pages' fillings (core.shared); "
    "it imports nothing of ours",
    "config.compression": "the never_compressed decorator of views whose pages hold a secret, "
    "and bodies deflated once (the team CSV); it imports nothing of ours",
}

# (file relative to the root, the dependency exactly as written) -> why it is allowed.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("courses/models.py", "lessons.Lesson"): "Enrollment.last_lesson: DESIGN.md's data "
    "contract puts the resume place on courses.Enrollment",
    ("accounts/models.py", "courses.Course"): "Team.courses: DESIGN.md's data contract assigns "
    "courses to a team (a same-layer reference)",
}

STRING_MODEL = re.compile(r"^([a-z_][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$")
TEMPLATE_TAG = re.compile(r"{%-?\s*(load|include|extends)\s+(.*?)\s*-?%}", re.DOTALL)
TEMPLATE_NAME = re.compile(r"""^["']([^"']+)["']""")


@dataclass(frozen=True, order=True)
class Violation:
    """One dependency of ``source`` (an app) on ``target`` that the layering forbids."""

    path: str  # relative to the checked root, with forward slashes
    line: int
    source: str
    target: str
    kind: str  # import | model reference | get_model | _meta reach | template load | template include
    detail: str  # what was written: the module, the model label, the library or template name

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} -> {self.target} ({self.kind} {self.detail})"


@dataclass
class ModelIndex:
    """What the checker knows of the models: which app owns each, and where relations lead.

    ``models`` maps a lower-cased label (``"lessons.lesson"``) to the package of its app;
    ``relations`` maps (lower-cased label, field name) to the lower-cased label it leads to.
    """

    models: Mapping[str, str] = field(default_factory=dict)
    relations: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_django(cls) -> ModelIndex:
        """Every installed model, from Django's app registry (Django must be set up)."""
        from django.apps import apps

        models, relations = {}, {}
        for model in apps.get_models():
            label = model._meta.label_lower
            models[label] = model._meta.app_config.name.split(".")[0]
            for f in model._meta.get_fields():
                if f.is_relation and f.related_model is not None:
                    relations[(label, f.name)] = f.related_model._meta.label_lower
        return cls(models=models, relations=relations)

    def app_of(self, label: str) -> str | None:
        return self.models.get(label.lower())

    def label_by_class(self, app: str, class_name: str) -> str | None:
        """The label of the model called ``class_name``: of ``app`` first, else if unique."""
        own = f"{app}.{class_name}".lower()
        if own in self.models:
            return own
        found = [label for label in self.models if label.split(".")[1] == class_name.lower()]
        return found[0] if len(found) == 1 else None


def find_violations(
    root: Path,
    *,
    models: ModelIndex | None = None,
    layers: Mapping[str, int] = LAYERS,
    exceptions: Mapping[tuple[str, str], str] = EXCEPTIONS,
) -> list[Violation]:
    """Every dependency under ``root`` that breaks the layering, sorted by file and line."""
    root = Path(root)
    models = models if models is not None else ModelIndex.from_django()
    checker = _Checker(root=root, models=models, layers=layers)
    found = [*checker.python(), *checker.templates()]
    return sorted(v for v in set(found) if (v.path, v.detail) not in exceptions)


def used_exceptions(root: Path, *, models: ModelIndex | None = None) -> set[tuple[str, str]]:
    """The documented exceptions that the code still needs."""
    every = find_violations(root, models=models, exceptions={})
    return {(v.path, v.detail) for v in every} & set(EXCEPTIONS)


@dataclass
class _Checker:
    root: Path
    models: ModelIndex
    layers: Mapping[str, int]

    # -- what is allowed -------------------------------------------------------------------

    def _breaks(self, source: str, target: str | None) -> bool:
        if target is None or target == source or target not in self.layers:
            return False
        return self.layers[target] >= self.layers[source]

    def _forbidden_import(self, source: str, module: str) -> str | None:
        """The app (or ``config`` module) that importing ``module`` wrongly depends on."""
        top = module.split(".")[0]
        if top == PROJECT_PACKAGE:
            allowed = any(module == m or module.startswith(m + ".") for m in CONFIG_IMPORTABLE)
            return None if allowed else module
        return top if self._breaks(source, top) else None

    def _violation(self, path: Path, line: int, source: str, target: str, kind: str, detail: str):
        return Violation(
            path=path.relative_to(self.root).as_posix(),
            line=line,
            source=source,
            target=target,
            kind=kind,
            detail=detail,
        )

    # -- Python ----------------------------------------------------------------------------

    def _python_files(self) -> Iterable[tuple[str, Path]]:
        for app in self.layers:
            folder = self.root / app
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*.py")):
                if "migrations" not in path.relative_to(folder).parts:
                    yield app, path

    def python(self) -> Iterable[Violation]:
        for app, path in self._python_files():
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            package = ".".join(path.relative_to(self.root).with_suffix("").parts)
            if path.name != "__init__.py":
                package = package.rpartition(".")[0]
            yield from self._imports(tree, app, path, package)
            yield from self._model_references(tree, app, path)

    def _imports(self, tree, app, path, package) -> Iterable[Violation]:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                    base = ".".join([*parts, *([base] if base else [])])
                if base == PROJECT_PACKAGE:  # ``from config import page_cache``
                    modules = [f"{base}.{alias.name}" for alias in node.names]
                else:
                    modules = [base]
            else:
                continue
            for module in modules:
                target = self._forbidden_import(app, module)
                if target is not None:
                    yield self._violation(path, node.lineno, app, target, "import", module)

    def _model_references(self, tree, app, path) -> Iterable[Violation]:
        handled: set[int] = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            strings = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.attr == "get_model" and strings and all(isinstance(s, str) for s in strings):
                handled.update(id(a) for a in node.args)
                label = ".".join(strings[:2]) if len(strings) >= 2 else strings[0]
                target = self.models.app_of(label) or label.split(".")[0]
                if self._breaks(app, target):
                    yield self._violation(path, node.lineno, app, target, "get_model", label)
            elif node.func.attr == "get_field" and len(strings) == 1 and isinstance(strings[0], str):
                owner = node.func.value  # the ``X._meta`` in ``X._meta.get_field("f")``
                if not (isinstance(owner, ast.Attribute) and owner.attr == "_meta"):
                    continue
                if not isinstance(owner.value, ast.Name):
                    continue
                label = self.models.label_by_class(app, owner.value.id)
                related = self.models.relations.get((label, strings[0])) if label else None
                target = self.models.app_of(related) if related else None
                if self._breaks(app, target):
                    detail = f"{owner.value.id}._meta.get_field({strings[0]!r}) -> {related}"
                    yield self._violation(path, node.lineno, app, target, "_meta reach", detail)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if id(node) in handled or not STRING_MODEL.match(node.value):
                continue
            target = self.models.app_of(node.value)
            if self._breaks(app, target):
                yield self._violation(path, node.lineno, app, target, "model reference", node.value)

    # -- templates -------------------------------------------------------------------------

    def _tag_libraries(self) -> dict[str, str]:
        return {
            path.stem: app
            for app in self.layers
            for path in (self.root / app / "templatetags").glob("*.py")
            if path.name != "__init__.py"
        }

    def _templates(self) -> Iterable[tuple[str, Path]]:
        shared = self.root / "templates"
        for app in self.layers:
            for folder in (shared / app, self.root / app / "templates"):
                if folder.is_dir():
                    for path in sorted(folder.rglob("*")):
                        if path.is_file():
                            yield app, path

    def templates(self) -> Iterable[Violation]:
        libraries = self._tag_libraries()
        for app, path in self._templates():
            text = path.read_text(encoding="utf-8", errors="replace")
            for match in TEMPLATE_TAG.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                tag, rest = match.group(1), match.group(2)
                if tag == "load":
                    words = rest.split()
                    names = words[words.index("from") + 1 :] if "from" in words else words
                    for lib in names:
                        target = libraries.get(lib)
                        if self._breaks(app, target):
                            yield self._violation(path, line, app, target, "template load", lib)
                else:
                    name = TEMPLATE_NAME.match(rest)
                    if name is None:
                        continue
                    target = name.group(1).split("/")[0]
                    if self._breaks(app, target):
                        yield self._violation(
                            path, line, app, target, "template include", name.group(1)
                        )
