"""The matrix page through Django's test client: full page and htmx partials, state in the
URL, predictions and their permissions, the advisor, and query counts."""

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from matrix.models import DecisionMatrix, MatrixCell, MatrixColumn, MatrixPrediction, MatrixRow
from tests.html import elements

URL = "/matrix/base-strength/"
PREDICT = "/matrix/base-strength/predict/"
ADVISOR = "/matrix/base-strength/advisor/"
HX = {"HX-Request": "true"}
RIGHT = {
    "row-domain-coverage": "Marginal gain",
    "row-output-format": "Prompting works",
    "row-regulatory-audit": "Fine-tune wins",
    "row-reasoning-breadth": "Generalist wins",
}
VERDICTS = ["Fine-tune wins", "Marginal gain", "No difference", "Prompting works", "Generalist wins"]
STRONG_SUMMARY = (
    "With a strong base the generalist wins or matches on 3 of 4 conditions; "
    "fine-tuning still wins on regulatory audit."
)


def hx(current_url=URL, **extra):
    return {**HX, "HX-Current-URL": f"http://testserver{current_url}", **extra}


def text(response) -> str:
    return response.content.decode()


def table_verdicts(html: str) -> list[str]:
    return re.findall(r'<span class="matrix-verdict">([^<]+)</span>', html)


# The page and the partial ---------------------------------------------------------------


def test_url_name_and_full_page(client, matrix):
    assert reverse("matrix:detail", kwargs={"matrix": "base-strength"}) == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = text(response)
    assert "<html" in html
    assert '<h1>Fine-tune or generalist? It depends on the base model</h1>' in html
    assert 'id="matrix-0"' in html and 'id="matrix-0-advisor"' in html
    assert "/static/css/matrix.css" in html and "/static/js/matrix.js" in html
    assert "style=" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_default_column_is_the_weak_base(client, matrix):
    html = text(client.get(URL))
    assert 'id="matrix-0-base-weak" name="base" value="weak" checked' in html
    assert table_verdicts(html) == ["Fine-tune wins", "Fine-tune wins", "Fine-tune wins", "No difference"]
    assert "With a weak base fine-tuning wins on 3 of 4 conditions" in html


def test_base_in_the_url_selects_the_column_on_the_full_page(client, matrix):
    html = text(client.get(URL, {"base": "strong"}))
    assert 'value="strong" checked' in html
    assert table_verdicts(html) == ["Marginal gain", "Prompting works", "Fine-tune wins", "Generalist wins"]
    assert STRONG_SUMMARY in html
    assert "Who wins with a strong base" in html


def test_htmx_gets_only_the_widget_and_the_url_to_push(client, matrix):
    response = client.get(URL, {"base": "strong"}, headers=hx())
    assert response.status_code == 200
    html = text(response)
    assert "<html" not in html
    assert html.lstrip().startswith('<section class="matrix-widget" id="matrix-0"')
    assert 'id="matrix-0-advisor"' not in html
    assert table_verdicts(html) == ["Marginal gain", "Prompting works", "Fine-tune wins", "Generalist wins"]
    assert response["HX-Push-Url"] == "/matrix/base-strength/?base=strong"
    # The status line for screen readers is updated out of band.
    assert f'<p id="matrix-0-status" hx-swap-oob="innerHTML">{STRONG_SUMMARY}</p>' in html


def test_a_history_restore_gets_the_whole_page(client, matrix):
    response = client.get(URL, {"base": "strong"}, headers=hx(**{"HX-History-Restore-Request": "true"}))
    assert "<html" in text(response)


def test_the_toggle_is_a_labelled_radio_group_in_a_get_form(client, matrix):
    html = text(client.get(URL))
    form = re.search(r'<form class="matrix-toggle"[^>]*>', html).group(0)
    assert 'method="get"' in form and f'action="{URL}"' in form
    assert 'hx-get="/matrix/base-strength/"' in form and 'hx-push-url="true"' in form
    assert "<legend>Base model strength</legend>" in html
    assertInHTML('<label class="matrix-segment" for="matrix-0-base-strong">Strong base</label>', html)
    assert 'hx-target="this" hx-swap="outerHTML"' in html
    assert ">Show this column</button>" in html


def test_an_unknown_base_shows_the_default_with_a_notice(client, matrix):
    response = client.get(URL, {"base": "medium"})
    assert response.status_code == 200
    html = text(response)
    assert "This matrix has no base strength \u201cmedium\u201d, so it shows the weak base column." in html
    assert 'value="weak" checked' in html
    assert table_verdicts(html)[0] == "Fine-tune wins"


def test_an_unknown_base_over_htmx_is_also_a_notice(client, matrix):
    response = client.get(URL, {"base": "<script>"}, headers=hx())
    assert response.status_code == 200
    assert "no base strength \u201c&lt;script&gt;\u201d" in text(response)


def test_compare_view_is_a_data_table_with_header_cells(client, matrix):
    response = client.get(URL, {"view": "compare"}, headers=hx())
    html = text(response)
    columns = [th.text for th in elements(html, "th", scope="col")]
    assert columns[columns.index("Weak base") + 1] == "Strong base"
    assert len(elements(html, "th", scope="row")) == 4
    caption = elements(html, "caption")[0]
    assert caption.text == "Every base strength side by side"
    # The scroller is a named region one can tab to, named by the caption.
    assert elements(html, "div", class_="table-scroll", tabindex="0", role="region",
                    aria_labelledby=caption.attrs["id"])
    assert "With a weak base fine-tuning wins" in html and STRONG_SUMMARY in html
    assert 'aria-current="true">Compare all</a>' in html
    assert response["HX-Push-Url"] == "/matrix/base-strength/?view=compare"


def test_view_links_are_real_links_with_htmx_twins(client, matrix):
    html = text(client.get(URL, {"base": "strong"}))
    assert (
        'href="/matrix/base-strength/?base=strong&amp;view=compare" '
        'hx-get="/matrix/base-strength/?base=strong&amp;view=compare"'
    ) in html


def test_unknown_matrix_or_draft_is_404_for_learners(client, learner_client, matrix):
    assert client.get("/matrix/no-such/").status_code == 404
    DecisionMatrix.objects.filter(pk=matrix.pk).update(is_published=False)
    assert client.get(URL).status_code == 404
    assert learner_client.get(URL).status_code == 404


def test_staff_preview_a_draft_as_a_learner_sees_it(client, make_user, matrix):
    DecisionMatrix.objects.filter(pk=matrix.pk).update(is_published=False)
    client.force_login(make_user("author", is_staff=True))
    response = client.get(URL)
    assert response.status_code == 200
    assert "This matrix is a draft" in text(response)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_page_and_advisor_only_answer_get(client, matrix, method):
    assert getattr(client, method)(URL).status_code == 405
    assert getattr(client, method)(ADVISOR).status_code == 405


def test_predict_only_answers_post(client, matrix):
    assert client.get(PREDICT).status_code == 405


# Predict, then reveal --------------------------------------------------------------------


def test_anonymous_predict_view_offers_log_in_and_hides_nothing_it_should_not(client, matrix):
    html = text(client.get(URL, {"view": "predict"}))
    assert "Log in to predict" in html
    assert 'class="matrix-predict"' not in html
    login = re.search(r'href="(/accounts/login/\?next=[^"]+)">Log in to predict', html).group(1)
    next_url = parse_qs(urlsplit(login.replace("&amp;", "&")).query)["next"][0]
    assert next_url == "/matrix/base-strength/?base=strong&view=predict"


def test_anonymous_post_is_sent_to_log_in_and_saves_nothing(client, matrix):
    response = client.post(PREDICT, {"column": "strong", **RIGHT})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert MatrixPrediction.objects.count() == 0


def test_anonymous_htmx_post_is_redirected_by_htmx(client, matrix):
    response = client.post(PREDICT, {"column": "strong", **RIGHT}, headers=hx())
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")
    assert MatrixPrediction.objects.count() == 0


def test_predict_view_hides_the_strong_column_until_submitted(learner_client, matrix):
    html = text(learner_client.get(URL, {"view": "predict"}))
    assert 'class="matrix-predict"' in html
    # The hidden column's verdicts are offered for every condition alike, never shown at a row.
    assert table_verdicts(html) == []
    for hidden in MatrixCell.objects.filter(column__key="strong"):
        assert hidden.explanation_html[:60] not in html
    assert "<legend>Domain coverage</legend>" in html
    assert "With a weak base: <strong>Fine-tune wins</strong>" in html


def test_each_condition_offers_the_tables_verdicts_in_one_labelled_group(learner_client, matrix):
    html = text(learner_client.get(URL, {"view": "predict"}))
    for row in ("domain-coverage", "output-format", "regulatory-audit", "reasoning-breadth"):
        offered = re.findall(rf'<input type="radio" id="matrix-0-predict-{row}-(\d)" name="row-{row}" value="([^"]+)" required>', html)
        assert [value for _, value in offered] == VERDICTS
        for number, verdict in offered:
            assert f'<label for="matrix-0-predict-{row}-{number}">{verdict}</label>' in html
    assert "<legend>How sure are you of these predictions? <span class=\"muted\">(optional)</span></legend>" in html
    for value, label in (("sure", "Sure"), ("think_so", "Think so"), ("guessing", "Guessing")):
        assert f'<input type="radio" id="matrix-0-confidence-{value}" name="confidence" value="{value}">' in html
        assert f'<label for="matrix-0-confidence-{value}">{label}</label>' in html


def test_posting_predictions_redirects_to_the_reveal(learner_client, learner, matrix):
    response = learner_client.post(
        PREDICT, {"column": "strong", **RIGHT, "row-output-format": "Fine-tune wins"}
    )
    assert response.status_code == 303
    submission = MatrixPrediction.objects.get(cell__row__key="output-format").submission
    assert response["Location"] == f"/matrix/base-strength/?base=strong&reveal={submission}#matrix-0"

    html = text(learner_client.get(response["Location"].split("#")[0]))
    assert "You predicted 3 of 4 right" in html
    row = re.search(r'<tr class="matrix-wrong"[^>]*>.*?</tr>', html, re.S).group(0)
    assert "Output format" in row and "Wrong" in row and "Prompting works" in row
    # The learner's pick beside the real verdict.
    assert '<span class="matrix-predicted">Fine-tune wins</span>' in row
    assert '<span class="matrix-verdict">Prompting works</span>' in row
    assert len(elements(html, "tr", class_="matrix-right")) == 3
    assert "A strong base follows detailed instructions" in html  # the explanation is revealed
    assert "Try 1" in html and "First predictions: count for your team" in html


def test_htmx_post_reveals_in_place_and_pushes_the_reveal_url(learner_client, matrix):
    response = learner_client.post(
        PREDICT,
        {"column": "strong", **RIGHT, "widget": "0", "page": URL},
        headers=hx(f"{URL}?base=strong&view=predict"),
    )
    assert response.status_code == 200
    html = text(response)
    assert "<html" not in html
    assert "You predicted 4 of 4 right" in html
    submission = MatrixPrediction.objects.values_list("submission", flat=True).first()
    assert response["HX-Push-Url"] == f"{URL}?base=strong&reveal={submission}"


def test_a_second_try_is_shown_with_the_first_kept(learner_client, learner, matrix):
    learner_client.post(PREDICT, {"column": "strong", **dict.fromkeys(RIGHT, "Fine-tune wins")})
    response = learner_client.post(PREDICT, {"column": "strong", **RIGHT}, follow=True)
    html = text(response)
    assert "You predicted 4 of 4 right" in html
    assert "You had already predicted these cells before" in html
    assert "Try 2" in html and "Try 1" in html
    assert MatrixPrediction.objects.filter(user=learner, is_first=True, is_correct=True).count() == 1


@pytest.mark.parametrize(
    ("changes", "row", "message"),
    [
        ({"row-output-format": None}, "output-format", "Choose the verdict you expect for output format."),
        ({"row-output-format": "maybe"}, "output-format", "is not one of this matrix&#x27;s verdicts"),
        ({"row-output-format": "generalist"}, "output-format", "is not one of this matrix&#x27;s verdicts"),
    ],
)
def test_bad_input_comes_back_with_an_error_at_the_row_and_saves_nothing(
    learner_client, matrix, changes, row, message
):
    data = {"column": "strong", **RIGHT}
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    for headers, status in (({}, 400), (hx(), 422)):  # htmx swaps a 422 in place (core.refusals)
        response = learner_client.post(PREDICT, data, headers=headers)
        assert response.status_code == status
        html = text(response)
        assert message in html
        assert f'id="matrix-0-predict-{row}" aria-describedby="matrix-0-predict-{row}-error"' in html
        assert "Your predictions were not saved." in html
        # What the learner chose elsewhere is kept.
        assert 'id="matrix-0-predict-regulatory-audit-0" name="row-regulatory-audit" value="Fine-tune wins" required checked' in html
    assert MatrixPrediction.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"column": "strong", **RIGHT, "row-cost": "generalist"}, "There is no condition \u201ccost\u201d"),
        ({"column": "medium", **RIGHT}, "There is no hidden column \u201cmedium\u201d"),
        ({"column": "weak", **RIGHT}, "There is no hidden column \u201cweak\u201d"),
        ({"column": "strong", **RIGHT, "confidence": "certain"}, "\u201ccertain\u201d is not a confidence"),
    ],
)
def test_an_unknown_cell_column_or_confidence_is_refused(learner_client, matrix, data, message):
    for headers, status in (({}, 400), (hx(), 422)):
        response = learner_client.post(PREDICT, data, headers=headers)
        assert response.status_code == status
        assert message in text(response)
    assert MatrixPrediction.objects.count() == 0


def test_another_learners_reveal_shows_nothing_of_theirs(client, learner_client, make_user, matrix):
    learner_client.post(PREDICT, {"column": "strong", **RIGHT})
    submission = MatrixPrediction.objects.values_list("submission", flat=True).first()
    client.force_login(make_user("mallory"))
    html = text(client.get(URL, {"reveal": str(submission)}))
    assert "You predicted" not in html
    assert "Those predictions could not be found" in html
    html = text(client.get(URL, {"reveal": "not-a-uuid"}))
    assert "Those predictions could not be found" in html
    client.logout()
    assert "could not be found" in text(client.get(URL, {"reveal": str(uuid.uuid4())}))


def test_the_no_js_form_returns_to_the_page_it_came_from(learner_client, matrix):
    response = learner_client.post(
        PREDICT,
        {
            "column": "strong",
            **RIGHT,
            "widget": "1",
            "page": "/courses/ai-diagnostics/base-capability/",
            "query": "base=strong&m1-view=predict",
        },
    )
    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith("/courses/ai-diagnostics/base-capability/?base=strong&m1-base=strong&m1-reveal=")
    assert location.endswith("#matrix-1")


def test_a_foreign_page_is_never_a_redirect_target(learner_client, matrix):
    response = learner_client.post(
        PREDICT, {"column": "strong", **RIGHT, "page": "https://evil.example/"}
    )
    assert response["Location"].startswith(URL)


# The advisor ------------------------------------------------------------------------------


def test_advisor_defaults_to_a_strong_base_and_prompting(client, matrix):
    html = text(client.get(URL))
    assertInHTML('<p class="matrix-advice-headline">Prompt a strong general model</p>', html)
    assert 'id="matrix-0-adv-strength-strong" name="strength" value="strong" checked' in html


def test_advisor_answers_in_the_url_drive_the_advice(client, matrix):
    html = text(client.get(URL, {"strength": "strong", "reason": ["latency", "constrained_format"]}))
    assertInHTML('<p class="matrix-advice-headline">Fine-tune</p>', html)
    assert "You said latency rules out frontier-model APIs." in html
    assert "You said outputs must follow a constrained format." in html


def test_a_preset_fills_the_form_and_explains_itself(client, matrix):
    html = text(client.get(URL, {"preset": "medical-imaging"}))
    assertInHTML('<p class="matrix-advice-headline">Use a specialised perception model</p>', html)
    assert 'name="perception" value="yes" checked' in html
    assert "the generalist-versus-specialist matrix does not decide this case" in html
    assert 'aria-pressed="true">Medical imaging</button>' in html
    assert 'href="/courses/medical-imaging-ai/">Go to the Medical imaging AI track' in html


def test_the_advisor_over_htmx_returns_only_the_advisor(client, matrix):
    response = client.get(
        ADVISOR, {"preset": "clinical-documentation", "base": "stale"}, headers=hx(f"{URL}?base=strong")
    )
    html = text(response)
    assert "<html" not in html
    assert html.lstrip().startswith('<aside class="matrix-advisor" id="matrix-0-advisor"')
    assert 'id="matrix-0"' not in html
    assertInHTML('<p class="matrix-advice-headline">Fine-tune</p>', html)
    # The matrix's own state comes from the browser's URL, not the form's stale copy.
    assert response["HX-Push-Url"] == f"{URL}?base=strong&preset=clinical-documentation"


def test_the_advisor_url_without_htmx_goes_to_the_page(client, matrix):
    response = client.get(ADVISOR, {"preset": "diagnostics", "widget": "0"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?preset=diagnostics"


def test_unknown_advisor_answers_are_notices(client, matrix):
    html = text(client.get(URL, {"preset": "dentistry", "strength": "huge", "reason": "cheaper"}))
    assert "There is no preset \u201cdentistry\u201d" in html
    assert "\u201chuge\u201d is not a base strength" in html
    assert "Ignored an unknown reason: cheaper." in html


def test_forms_carry_the_other_groups_state_for_no_js(client, matrix):
    html = text(client.get(URL, {"base": "strong", "preset": "diagnostics", "reason": "latency"}))
    toggle = re.search(r'<form class="matrix-toggle".*?</form>', html, re.S).group(0)
    assertInHTML('<input type="hidden" name="preset" value="diagnostics">', toggle)
    assertInHTML('<input type="hidden" name="reason" value="latency">', toggle)
    assert 'name="base" value="strong"' in toggle
    advisor = re.search(r'<form class="matrix-advisor-form".*?</form>', html, re.S).group(0)
    assertInHTML('<input type="hidden" name="base" value="strong">', advisor)
    assert 'type="hidden" name="preset"' not in advisor


# Query counts ------------------------------------------------------------------------------


def add_columns_and_rows(matrix, *, columns=2, rows=4):
    for n in range(columns):
        MatrixColumn.objects.create(matrix=matrix, key=f"extra-{n}", label=f"Extra {n}", order=10 + n)
    for n in range(rows):
        MatrixRow.objects.create(matrix=matrix, key=f"more-{n}", label=f"More {n}", order=10 + n)
    for row in matrix.rows.all():
        for column in matrix.columns.all():
            MatrixCell.objects.get_or_create(
                row=row, column=column,
                defaults={"verdict": "No difference", "winner": "no_difference", "explanation": "Why."},
            )  # fmt: skip


@pytest.mark.parametrize("bigger", [False, True])
def test_the_widget_partial_takes_five_queries_for_a_visitor_then_one(
    client, matrix, django_assert_num_queries, bigger
):
    if bigger:
        add_columns_and_rows(matrix)
    # The page cache's content version, then the matrix, its columns, rows and cells.
    with django_assert_num_queries(5):
        response = client.get(URL, {"base": "strong"}, headers=hx())
    assert response.status_code == 200
    with django_assert_num_queries(1):  # the same region again, from the page cache
        again = client.get(URL, {"base": "strong"}, headers=hx())
    assert again.content == response.content


@pytest.mark.parametrize("bigger", [False, True])
@pytest.mark.parametrize("view", ["", "predicted"])
def test_the_widget_partial_never_reads_a_learners_session_or_user(
    learner_client, matrix, django_assert_num_queries, bigger, view
):
    """The explore region (and an unknown view's) is the same for everyone: no session or
    user read. The explore region is kept in the page cache; an unknown view shows a notice and
    is never kept (junk must not grow the cache), so it costs the content version and the
    matrix again, still without reading the learner."""
    if bigger:
        add_columns_and_rows(matrix)
    with django_assert_num_queries(5):  # content version, matrix, columns, rows, cells
        response = learner_client.get(URL, {"base": "strong", "view": view}, headers=hx())
    assert response.status_code == 200
    with django_assert_num_queries(1 if view == "" else 2):
        learner_client.get(URL, {"base": "strong", "view": view}, headers=hx())


@pytest.mark.parametrize("bigger", [False, True])
def test_predict_reveal_and_compare_partials_add_one_query_each(learner_client, matrix, django_assert_num_queries, bigger):
    if bigger:
        add_columns_and_rows(matrix, columns=0, rows=3)
        # The new rows need a prediction too.
    data = {"column": "strong", **RIGHT, **{f"row-more-{n}": "generalist" for n in range(3 if bigger else 0)}}
    learner_client.post(PREDICT, data)
    learner_client.post(PREDICT, data)
    submission = MatrixPrediction.objects.values_list("submission", flat=True).first()
    # The posts above warmed the grid cache: session, user, matrix, + the learner's predictions
    # in this matrix (one query for the tries, the revealed submission, the columns predicted
    # and the accuracy per condition).
    for params in ({"view": "predict"}, {"reveal": str(submission)}, {"view": "compare"}):
        with django_assert_num_queries(4):
            learner_client.get(URL, params, headers=hx())


def test_a_warm_cache_serves_the_grid_in_one_query(client, matrix, django_assert_num_queries):
    client.get(URL, {"base": "strong"}, headers=hx())
    with django_assert_num_queries(1):  # the matrix itself, for its updated_at
        response = client.get(URL, {"base": "strong"}, headers=hx())
    assert response.status_code == 200


def test_editing_a_cell_shows_at_once_despite_the_cache(client, matrix):
    client.get(URL, {"base": "strong"}, headers=hx())
    cell = MatrixCell.objects.filter(column__key="strong").order_by("row__order").first()
    cell.verdict = "A freshly edited verdict"
    cell.save()
    assert "A freshly edited verdict" in client.get(URL, {"base": "strong"}, headers=hx()).content.decode()
    cell.delete()
    assert "A freshly edited verdict" not in client.get(URL, {"base": "strong"}, headers=hx()).content.decode()


def test_the_full_page_adds_only_the_presets(client, matrix, django_assert_num_queries):
    # The page cache's content version, the matrix, columns, rows, cells, presets with courses.
    with django_assert_num_queries(6):
        client.get(URL, {"preset": "diagnostics"})


# The page cache (config/page_cache.py) ----------------------------------------------------


def test_the_explore_region_is_shared_between_learners_and_visitors_alike(
    client, learner_client, matrix
):
    mine = text(learner_client.get(URL, {"base": "strong"}, headers=hx()))
    theirs = text(client.get(URL, {"base": "strong"}, headers=hx()))
    assert mine == theirs
    assert "Predict it first" in mine


def test_the_same_request_from_another_page_is_placed_there(client, matrix):
    lesson_page = "/courses/clinical-documentation-ai/some-lesson/"
    own = text(client.get(URL, {"base": "strong"}, headers=hx()))
    embedded = text(
        client.get(URL, {"base": "strong", "page": lesson_page}, headers=hx(lesson_page))
    )
    assert own != embedded
    assert f'action="{lesson_page}"' in embedded


def test_predictions_are_never_shared(learner_client, make_user, matrix):
    learner_client.post(PREDICT, {"column": "strong", **RIGHT})
    mine = text(learner_client.get(URL, {"view": "predict"}, headers=hx()))
    assert "You predicted" in mine or "First predictions" in mine
    other = Client()
    other.force_login(make_user("someone-else"))
    theirs = text(other.get(URL, {"view": "predict"}, headers=hx()))
    assert "First predictions" not in theirs


def test_a_drafts_region_seen_by_staff_is_never_served_to_a_learner(make_user, matrix):
    matrix.is_published = False
    matrix.save()
    author, learner = Client(), Client()
    author.force_login(make_user("author", is_staff=True))
    learner.force_login(make_user("lena"))
    assert author.get(URL, {"base": "strong"}, headers=hx()).status_code == 200
    assert learner.get(URL, {"base": "strong"}, headers=hx()).status_code == 404
    assert Client().get(URL, {"base": "strong"}, headers=hx()).status_code == 404


def test_unpublishing_stops_a_shared_region_at_once(learner_client, matrix):
    assert learner_client.get(URL, {"base": "strong"}, headers=hx()).status_code == 200
    matrix.is_published = False
    matrix.save()
    assert learner_client.get(URL, {"base": "strong"}, headers=hx()).status_code == 404


# Personal regions are never shared, however the URL spells them (finding F3) ---------------

# What only a learner's own region shows: their tries and revealed predictions.
MARKERS = ("Your tries", "You predicted", "First predictions")
PREDICT_FORM = 'class="matrix-predict"'
# The same parameter given twice, or with blanks: the sharing decision and the renderer must
# read them alike, or a learner's region is kept and served to whoever asks next.
SPELLINGS = [
    "view=predict&view=",
    "view=&view=predict",
    "view=predict&view=%20",
    "view=%20predict%20",
    "reveal={submission}&reveal=",
    "reveal=&reveal={submission}",
    "reveal={submission}&view=",
]


def personal_markers(html: str) -> list[str]:
    return [marker for marker in MARKERS if marker in html]


@pytest.fixture
def predicted(learner_client, matrix):
    """The learner has predicted once; returns their submission id."""
    learner_client.post(PREDICT, {"column": "strong", **RIGHT})
    return MatrixPrediction.objects.values_list("submission", flat=True).first()


@pytest.mark.parametrize("partial", [True, False], ids=["partial", "page"])
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_learners_region_is_never_served_to_anyone_else(
    learner_client, make_user, predicted, spelling, partial
):
    url = URL + "?" + spelling.format(submission=predicted)
    headers = hx() if partial else {}
    mine = text(learner_client.get(url, headers=headers))
    assert personal_markers(mine), "the learner sees their own predict or reveal region"
    other, visitor = Client(), Client()
    other.force_login(make_user("someone-else"))
    # Twice each: the second request is the one a kept page would answer.
    for _ in range(2):
        assert personal_markers(text(other.get(url, headers=headers))) == []
        theirs = text(visitor.get(url, headers=headers))
        assert personal_markers(theirs) == []
        assert PREDICT_FORM not in theirs, "a visitor is asked to log in, never given a form"
    assert personal_markers(text(learner_client.get(url, headers=headers)))


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_visitors_predict_region_is_not_kept_for_a_learner(learner_client, predicted, spelling):
    """A visitor asking for the predict view sees "log in"; a learner asking the same URL
    next must get their own form, not the visitor's region from the cache."""
    url = URL + "?" + spelling.format(submission=predicted)
    for _ in range(2):
        Client().get(url, headers=hx())
    assert personal_markers(text(learner_client.get(url, headers=hx())))


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_personal_region_is_never_stored_in_the_page_cache(learner_client, predicted, spelling):
    from config import page_cache

    stored = []
    real_set = page_cache.cache.set

    def spy(key, value, *args, **kwargs):
        if key.startswith("page:"):
            stored.append(b"".join(raw for raw, _ in value[0]).decode())  # the page's parts
        return real_set(key, value, *args, **kwargs)

    page_cache.cache.set = spy
    try:
        learner_client.get(URL + "?" + spelling.format(submission=predicted), headers=hx())
    finally:
        del page_cache.cache.set
    assert [body for body in stored if personal_markers(body) or PREDICT_FORM in body] == []


# An unparsable current URL is treated as absent (finding F5) ------------------------------


@pytest.mark.parametrize("url", [URL, ADVISOR], ids=["matrix", "advisor"])
def test_an_unparsable_current_url_falls_back_to_the_matrixs_own_page(client, matrix, url):
    response = client.get(url, {"base": "strong"}, headers={**HX, "HX-Current-URL": "https://[x/"})
    assert response.status_code == 200
    assert response["HX-Push-Url"].startswith(URL)
