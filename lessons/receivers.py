"""Signal receivers that keep other apps' Markdown fields rendered, without them importing us.

``courses`` sits below ``lessons`` and must not import it, so the course description is
rendered here, before every save, and connected in ``LessonsConfig.ready``.
"""

from core.rendering import render_markdown


def render_course_description(sender, instance, **kwargs):
    instance.description_html = render_markdown(instance.description)
