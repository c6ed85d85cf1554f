"""The base layer's app config: it has no models, only shared code and a template tag library."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
