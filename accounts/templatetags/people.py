"""``{{ user|display_name }}``: a person as others see them (``accounts.names``)."""

from django import template

from accounts import names

register = template.Library()


@register.filter
def display_name(user) -> str:
    return names.display_name(user)
