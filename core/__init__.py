"""The base layer: code every app shares, depending on nothing of ours.

What belongs here is plumbing that two or more apps need and that knows no course, lesson,
quiz or matrix: the Markdown pipeline (``core.rendering`` and its ``markdown_html`` template
tag library), the content-file toolkit (``core.content_files``) and the registry that runs
each app's content handler (``core.content``). ``core`` imports only Django and third-party
packages; every app may import it, and it imports none of them, not even through a string
model reference or a ``{% load %}``. Anything that names a domain model lives in its app.
"""
