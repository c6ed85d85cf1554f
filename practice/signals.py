"""Keep ``BlockPlacement`` in step with lesson bodies: which lessons embed which blocks.

A lesson's embeds change only when it is saved, so a ``post_save`` receiver on the lesson
reads its ``[[check:…]]`` and ``[[predict:…]]`` lines and rewrites its placements. A block
created after a lesson that already names it (content loaded out of order, a restore) is
placed when the block is saved. ``lessons`` knows nothing of this; it only sends the signal.
"""

from django.db.models.signals import post_save

from core.rendering import find_embeds

from .models import Block, BlockPlacement

KINDS = tuple(Block.Kind.values)


def embedded_slugs(text: str) -> list[str]:
    """The slugs of the check and predict lines of a Markdown body, in order, once each."""
    slugs = []
    for kind, slug in find_embeds(text):
        if kind in KINDS and slug not in slugs:
            slugs.append(slug)
    return slugs


def sync_lesson(sender, instance, created, raw=False, **kwargs):
    """post_save of a lesson: its placements become exactly the blocks its body embeds."""
    if raw:
        return
    slugs = embedded_slugs(instance.body)
    if not slugs:
        if not created:
            BlockPlacement.objects.filter(lesson=instance).delete()
        return
    block_ids = set(Block.objects.filter(slug__in=slugs).values_list("id", flat=True))
    if not created:
        BlockPlacement.objects.filter(lesson=instance).exclude(block_id__in=block_ids).delete()
    BlockPlacement.objects.bulk_create(
        [BlockPlacement(lesson=instance, block_id=block_id) for block_id in block_ids],
        ignore_conflicts=True,
    )


def place_new_block(sender, instance, created, raw=False, **kwargs):
    """post_save of a new block: place it in lessons whose body already embeds its slug."""
    if raw or not created:
        return
    from lessons.models import Lesson

    lines = [f"[[{kind}:{instance.slug}]]" for kind in KINDS]
    lessons = Lesson.objects.filter(body__contains=lines[0]) | Lesson.objects.filter(
        body__contains=lines[1]
    )
    BlockPlacement.objects.bulk_create(
        [
            BlockPlacement(lesson=lesson, block=instance)
            for lesson in lessons.only("id", "body")
            if instance.slug in embedded_slugs(lesson.body)
        ],
        ignore_conflicts=True,
    )


def connect() -> None:
    from lessons.models import Lesson

    post_save.connect(sync_lesson, sender=Lesson, dispatch_uid="practice.sync_lesson")
    post_save.connect(place_new_block, sender=Block, dispatch_uid="practice.place_new_block")
