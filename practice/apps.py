"""The practice app: inline checks and predict-then-reveal blocks that lessons embed."""

from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Practice: checks and predictions"

    def ready(self):
        from core import content, embeds
        from lessons import assessments

        from . import signals
        from .assessments import PracticeAssessments
        from .blocks import (
            exists_for,
            label_for,
            prefetch_blocks,
            render_check_embed,
            render_predict_embed,
        )
        from .content import (
            export_block_objectives,
            export_blocks,
            load_block_objectives,
            load_blocks,
        )

        # After courses (10) and matrices (20), before lessons (30): lessons check their
        # [[check:…]] and [[predict:…]] lines against the blocks already loaded.
        content.register("blocks", order=25, load=load_blocks, export=export_blocks)
        # After lessons (30), which hold the objectives that blocks are tagged with.
        content.register(
            "block objectives", order=35, load=load_block_objectives, export=export_block_objectives
        )
        # Both kinds share one prefetch: one query for a page's blocks, one for the answers.
        for kind, render in (("check", render_check_embed), ("predict", render_predict_embed)):
            embeds.register(
                kind, render=render, exists=exists_for(kind), renders_missing=True,
                prefetch=prefetch_blocks, label=label_for(kind),
            )  # fmt: skip
        assessments.register(PracticeAssessments())
        signals.connect()
