"""``{{ value|sanitised }}``: show stored, rendered Markdown (a ``*_html`` field) in a template.

The value is run through the same sanitiser that produced it, so templates never need
``|safe``; see core.rendering.
"""

from django import template

from core.rendering import sanitised_html

register = template.Library()


@register.filter
def sanitised(value):
    return sanitised_html(value or "")
