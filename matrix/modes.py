"""What one decision-matrix widget shows, decided from its ``WidgetState`` and the user.

``resolve`` picks the mode (explore, compare, predict, reveal, or login for a visitor asked to
predict), the selected and target columns, a learner's predictions (one query, only when the
state is personal), the columns the compare view withholds (no peeking:
``matrix.predictions.withheld_columns``) and a notice for anything in the URL that could not
be honoured. The user is read only when the state is personal (``WidgetState.is_personal``)
or a prediction form is being answered, so a region the page cache shares never holds
anything of one learner's.
"""

from dataclasses import dataclass, field

from .placement import VIEWS, WidgetState
from .predictions import PredictionCheck, withheld_columns
from .selectors import MatrixGrid, PredictionHistory, PredictionRecord, prediction_history


@dataclass
class Resolved:
    """What one widget shows, decided from its state (and the user, when it is personal)."""

    mode: str
    selected: object
    target: object
    revealed: dict[int, PredictionRecord] | None = None
    history: PredictionHistory | None = None
    withheld: list = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _selected_column(state: WidgetState, grid: MatrixGrid, notices: list[str]):
    default = grid.default_column
    selected = grid.column(state.base) if state.base else default
    if selected is None and default is not None:
        notices.append(
            f"This matrix has no base strength \u201c{state.base}\u201d, so it shows "
            f"the {default.label.lower()} column."
        )
    return selected or default


def _personal_mode(
    state: WidgetState, grid: MatrixGrid, user, history, notices, *, fallback: str
) -> tuple[str, dict | None]:
    """The mode of a reveal or predict state: reveal for ``reveal``, else predict (login for
    a visitor); ``fallback`` with a notice when neither can be shown."""
    if state.reveal:
        revealed = history.submission(state.submission) if history else {}
        if revealed:
            return "reveal", revealed
        notices.append(
            "Those predictions could not be found; you can predict again."
            if user.is_authenticated
            else "Those predictions could not be found. Log in as the person who made them, "
            "or predict again."
        )
        return fallback, None
    if not grid.hidden_columns:
        notices.append("This matrix has only one column, so there is nothing to predict.")
        return fallback, None
    return ("predict" if user.is_authenticated else "login"), None


def resolve(
    state: WidgetState, *, grid: MatrixGrid, user, check: PredictionCheck | None = None
) -> Resolved:
    """What the widget shows for ``state``; ``check`` is a prediction form being answered.

    ``user`` (lazy, as on the request) is read only for a personal state.
    """
    notices = []
    selected = _selected_column(state, grid, notices)
    if state.view and state.view not in VIEWS:
        notices.append(f"There is no \u201c{state.view}\u201d view; here is the matrix.")
    matrix_only = "compare" if state.view == "compare" else "explore"
    personal = check is not None or state.is_personal(user)
    signed_in = personal and user.is_authenticated
    history = prediction_history(user=user, grid=grid) if signed_in else None

    revealed = None
    if check is not None:
        mode = "predict"
    elif state.reveal or state.view == "predict":
        mode, revealed = _personal_mode(state, grid, user, history, notices, fallback=matrix_only)
    else:
        mode = matrix_only

    withheld = []
    if mode == "compare":
        withheld = withheld_columns(
            hidden_columns=grid.hidden_columns,
            predicted_column_ids=history.predicted_column_ids() if history else (),
            signed_in=signed_in,
        )

    target = selected if selected in grid.hidden_columns else None
    if mode == "predict" and check is not None and check.column is not None:
        target = check.column
    if withheld:
        target = withheld[0]
    if target is None and grid.hidden_columns:
        target = grid.hidden_columns[0]
    return Resolved(
        mode=mode,
        selected=selected,
        target=target,
        revealed=revealed,
        history=history,
        withheld=withheld,
        notices=notices,
    )
