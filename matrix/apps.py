"""The matrix app: decision matrices, the widget that shows them, predictions and the advisor."""

from django.apps import AppConfig


class MatrixConfig(AppConfig):
    name = "matrix"
    verbose_name = "Decision matrices"

    def ready(self):
        from core import content, embeds

        from . import signals
        from .content import export_matrices, load_matrices
        from .placement import canonical_query
        from .widget import matrix_exists, render_embed

        # Matrices load after courses (advisor presets link to a course) and before
        # lessons, which embed them with [[matrix:<slug>]].
        content.register("matrices", order=20, load=load_matrices, export=export_matrices)
        # render_embed shows its own notice for a matrix that is missing or unpublished.
        # It reads its state from the page's query string (matrix.placement).
        embeds.register(
            "matrix",
            render=render_embed,
            exists=matrix_exists,
            renders_missing=True,
            params=canonical_query,
        )
        signals.connect()
