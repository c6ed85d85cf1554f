"""``{{ user|display_name }}``: a person as others see them (``accounts.names``);
``{% signed_in_name %}``: the signed-in person's own, for the header, without a query
(``accounts.sessions``)."""

from django import template

from accounts import names, sessions

register = template.Library()


@register.filter
def display_name(user) -> str:
    return names.display_name(user)


@register.simple_tag(takes_context=True)
def signed_in_name(context) -> str:
    request = context.get("request")
    # A page rendered without its request (the bare 500 page) names no one.
    return sessions.signed_in_name(request) if request is not None else ""
