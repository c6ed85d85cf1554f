"""The ``markdown_html`` template tag library: stored HTML shown through the sanitiser again."""

from django.template import Context, Template


def render(value):
    return Template("{% load markdown_html %}{{ value|sanitised }}").render(Context({"value": value}))


def test_sanitised_shows_our_own_html_unescaped():
    assert render("<p>Hello <em>there</em></p>") == "<p>Hello <em>there</em></p>"


def test_sanitised_strips_markup_written_to_the_database_by_another_route():
    html = render('<p onclick="x()">Hi</p><script>alert(1)</script>')
    assert html == "<p>Hi</p>"


def test_sanitised_treats_none_as_empty():
    assert render(None) == ""
