"""The live preview's door: form data in (CSRF in a header), the real PDF's pages out, or the server's own errors."""

import base64
import io

from conftest import pdf_text
from PIL import Image


def live(letters, slug, values, token=None):
    """POST values to the live preview as the page's script does: form data, the token in X-CSRFToken."""
    token = token or letters.csrf_token(letters.open_form(slug))
    return letters.client.post(f"/letters/{slug}/preview.json", data=values, headers={"X-CSRFToken": token})


def page_image(data_uri):
    assert data_uri.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])))


def test_a_complete_form_answers_with_the_pages_of_the_pdf(letters, anniversary_values, app):
    answer = live(letters, "anniversary", anniversary_values).get_json()
    assert answer["errors"] == {}
    assert answer["page_count"] == len(answer["pages"]) == 1
    assert page_image(answer["pages"][0]).width == app.config["PREVIEW_WIDTH"]


def test_the_live_pages_are_the_pages_of_the_preview_page(letters, anniversary_values):
    answer = live(letters, "anniversary", anniversary_values).get_json()
    preview = letters.submit("anniversary", anniversary_values).get_data(as_text=True)
    assert answer["pages"][0] in preview  # the very same image, from the very same PDF


def test_a_half_filled_form_answers_with_the_servers_own_messages(letters):
    response = live(letters, "anniversary", {"recipient_name": "Chris", "years": "400"})
    assert response.status_code == 200  # half-filled is the normal state of a form being typed
    answer = response.get_json()
    assert answer["pages"] == [] and answer["page_count"] == 0
    assert answer["errors"]["sender_name"] == ["Please fill in your name."]
    assert answer["errors"]["years"] == ["Years together must be between 1 and 90."]
    assert "recipient_name" not in answer["errors"]


def test_the_live_preview_writes_what_was_typed(letters, anniversary_values, app):
    typed = {**anniversary_values, "memory": "the lighthouse at Porto"}
    pages = live(letters, "anniversary", typed).get_json()["pages"]
    again = live(letters, "anniversary", {**typed, "memory": "the ferry to Tangier"}).get_json()["pages"]
    assert pages != again


def test_without_the_csrf_header_nothing_is_rendered_and_the_problem_says_why(client, anniversary_values):
    response = client.post("/letters/anniversary/preview.json", data=anniversary_values)
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    answer = response.get_json()
    assert "pages" not in answer and answer["code"] == "csrf-expired"
    assert "live preview has paused" in answer["detail"]


def test_a_letter_over_the_page_limit_is_a_problem_not_an_error(app, letters, templates_dir, anniversary_values):
    app.config["MAX_PAGES"] = 1
    (templates_dir / "long.jinja").write_text(
        "---\ntitle: Long\nfields:\n  - name: story\n    type: text\n---\n{{ story }}\n\n{{ story }}\n")
    story = " ".join(["We walked along the harbour wall and talked until the lamps came on."] * 55)
    answer = live(letters, "long", {**anniversary_values, "story": story}).get_json()
    assert answer["errors"] == {} and answer["pages"] == []
    assert "the limit is 1." in answer["problem"]


def test_an_unknown_letter_is_a_404_problem_as_in_the_api(letters):
    token = letters.csrf_token(letters.open_form("anniversary"))
    response = letters.client.post("/letters/nope/preview.json", data={}, headers={"X-CSRFToken": token})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert response.get_json() == {"type": "/api/v1/problems/template-not-found", "title": "No such template",
                                   "status": 404, "detail": "There is no template called “nope”.",
                                   "code": "template-not-found"}


def test_asking_for_the_preview_the_wrong_way_is_a_problem_too(client):
    response = client.get("/letters/anniversary/preview.json")
    assert response.status_code == 405 and response.get_json()["code"] == "method-not-allowed"
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_the_downloaded_pdf_says_what_the_live_preview_showed(letters, anniversary_values):
    live(letters, "anniversary", anniversary_values)
    preview = letters.submit("anniversary", anniversary_values).get_data(as_text=True)
    assert "Lyon" in pdf_text(letters.download("anniversary", preview).data)
