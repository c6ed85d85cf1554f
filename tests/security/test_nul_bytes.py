"""A NUL character in the path or query string gets the 400 page, never a database error."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/autocomplete/?app_label=accounts&model_name=membership&field_name=user&term=%00",
        "/admin/lessons/lesson/?status__exact=%00",
        "/admin/auth/user/?username=a%00b",
        "/?q=%00",
        "/courses/a%00b/",
    ],
)
def test_nul_bytes_are_refused_with_the_400_page(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert b"could not be understood" in response.content


def test_ordinary_percent_escapes_still_work(admin_client):
    assert admin_client.get("/admin/lessons/lesson/?q=50%25").status_code == 200
