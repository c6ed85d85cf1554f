"""Keep ``DecisionMatrix.updated_at`` current when any part of a matrix changes.

``matrix.selectors`` caches a matrix's columns, rows, cells and presets under a key that
includes ``updated_at``; touching the matrix here makes every app process, on every host,
read the new version on its next request, without any cache-wide invalidation.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import AdvisorPreset, DecisionMatrix, MatrixCell, MatrixColumn, MatrixRow


def touch_matrix(sender, instance, **kwargs):
    if isinstance(instance, MatrixCell):
        matrices = DecisionMatrix.objects.filter(rows=instance.row_id)
    else:
        matrices = DecisionMatrix.objects.filter(pk=instance.matrix_id)
    matrices.update(updated_at=timezone.now())


def connect():
    for model in (MatrixColumn, MatrixRow, MatrixCell, AdvisorPreset):
        post_save.connect(touch_matrix, sender=model, dispatch_uid=f"touch-matrix-save-{model.__name__}")
        post_delete.connect(touch_matrix, sender=model, dispatch_uid=f"touch-matrix-delete-{model.__name__}")
