"""A studio on the site: the Many letters page, from a CSV upload to the ZIP of letters."""

import io
import re
import time
import zipfile

import pytest
from conftest import letterhouse_app, pdf_text

from letterhouse import create_app

GUESTS = ("sender_name,recipient_name,years,memory\r\n"
          'Sam Okafor,Chris Lindqvist,12,"the night the car broke down\r\noutside Lyon"\r\n'
          "Sam Okafor,Alex Kim,twelve,\r\n"
          "Sam Okafor,Kim Park,3,\r\n")


@pytest.fixture
def app(tmp_path, templates_dir):
    return letterhouse_app(tmp_path, templates_dir, BATCH_WORKERS=1)


class Studio:
    """What a person does on the Many letters page."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def open_page(self, slug="anniversary"):
        response = self.client.get(f"/letters/{slug}/many")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def upload(self, data, filename="guests.csv", slug="anniversary", **choices):
        token = self.csrf_token(self.open_page(slug))
        return self.client.post(f"/letters/{slug}/many", content_type="multipart/form-data",
                                data={"csrf_token": token, "rows": (io.BytesIO(data), filename), **choices})

    def start(self, job_url, **choices):
        token = self.csrf_token(self.client.get(job_url).get_data(as_text=True))
        return self.client.post(f"{job_url}/start", data={"csrf_token": token, **choices})

    def wait(self, job_url, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.client.get(f"{job_url}/status.json").get_json()
            if status["state"] in ("done", "failed"):
                return status
            time.sleep(0.2)
        raise AssertionError("the batch did not finish")


@pytest.fixture
def studio(client):
    return Studio(client)


def test_the_page_lists_the_columns_and_offers_the_csv_header(studio, client):
    html = studio.open_page()
    assert "<code>years</code>" in html and "a whole number from 1 to 90; required" in html
    assert 'href="/letters/anniversary/many/fields.csv"' in html
    assert 'enctype="multipart/form-data"' in html
    header = client.get("/letters/anniversary/many/fields.csv")
    assert header.mimetype == "text/csv" and "filename=anniversary.csv" in header.headers["Content-Disposition"]
    assert header.get_data(as_text=True).startswith("\ufeffsender_name,sender_address,recipient_name,")


def test_the_page_has_no_inline_script_or_style(studio):
    html = studio.open_page()
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_from_upload_to_download_with_a_bad_row_left_out(studio, client):
    uploaded = studio.upload(GUESTS.encode("utf-8-sig"))
    assert uploaded.status_code == 303
    job_url = uploaded.headers["Location"]
    checked = client.get(job_url).get_data(as_text=True)
    assert "1 problem in the rows" in checked
    assert re.search(r"<td>3</td><td>Years together <code>years</code></td>"
                     r"<td>Years together must be a whole number, like 12.</td>", checked)
    assert "to Chris Lindqvist" in checked and "0003-anniversary-to-kim.pdf" in checked
    assert "Write 2 letters" in checked

    problems = client.get(f"{job_url}/problems.csv").get_data(as_text=True)
    assert problems.lstrip("\ufeff").splitlines() == [
        "row,field,message", '3,years,"Years together must be a whole number, like 12."']

    assert studio.start(job_url, output="zip", skip_invalid="1").status_code == 303
    assert studio.wait(job_url) == {"state": "done", "done": 2, "total": 2, "progress": 1.0}
    done = client.get(job_url).get_data(as_text=True)
    assert "Your letters are ready" in done and "Download anniversary-letters.zip" in done

    result = client.get(f"{job_url}/letters")
    assert result.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(result.data))
    assert archive.namelist() == ["0001-anniversary-to-chris.pdf", "0003-anniversary-to-kim.pdf", "manifest.csv"]
    assert "outside Lyon" in pdf_text(archive.read("0001-anniversary-to-chris.pdf"))


def test_a_clean_file_can_become_one_pdf_for_double_sided_printing(studio, client):
    job_url = studio.upload(b"sender_name,recipient_name,years\nSam,Chris,12\nSam,Alex,3\n").headers["Location"]
    studio.start(job_url, output="pdf", duplex="1")
    studio.wait(job_url)
    result = client.get(f"{job_url}/letters")
    assert result.mimetype == "application/pdf"
    assert "ready for double-sided printing" in client.get(job_url).get_data(as_text=True)
    assert pdf_text(result.data).count("Dear ") == 2


def test_a_batch_with_problems_does_not_start_unless_the_bad_rows_are_left_out(studio, client):
    job_url = studio.upload(GUESTS.encode()).headers["Location"]
    response = studio.start(job_url, output="zip")
    assert response.status_code == 409 and "These rows have problems" in response.get_data(as_text=True)


def test_a_misspelt_column_is_shown_and_no_letter_can_be_written(studio, client):
    job_url = studio.upload(b"sender_name,recipient_name,years,memroy\nSam,Chris,12,Lyon\n").headers["Location"]
    html = client.get(job_url).get_data(as_text=True)
    assert "There is no field called “memroy”. Did you mean “memory”?" in html
    assert "No row can become a letter yet" in html and "/start" not in html


@pytest.mark.parametrize("data, filename, status, message", [
    ("Zoë".encode("latin-1"), "guests.csv", 422, "CSV UTF-8"),
    (b"[{\"recipient_name\": 1}", "guests.json", 422, "not valid JSON"),
])
def test_a_file_that_cannot_be_read_is_explained_on_the_page(studio, data, filename, status, message):
    response = studio.upload(data, filename)
    assert response.status_code == status and message in response.get_data(as_text=True)


def test_more_rows_than_allowed_are_refused(app, studio):
    app.config["BATCH_MAX_ROWS"] = 2
    response = studio.upload(b"sender_name,recipient_name,years\nS,A,1\nS,B,2\nS,C,3\n")
    assert response.status_code == 413 and "at most 2" in response.get_data(as_text=True)


def test_an_upload_larger_than_the_batch_limit_is_refused_on_the_page(app, studio):
    app.config["BATCH_MAX_CONTENT_LENGTH"] = 2000
    response = studio.upload(b"sender_name,recipient_name,years\n" + b"Sam,Chris,12\n" * 400)
    assert response.status_code == 413 and "larger than" in response.get_data(as_text=True)


def test_a_rows_file_larger_than_a_single_form_may_be_is_accepted(app, studio):
    app.config["MAX_CONTENT_LENGTH"] = 2000  # the single-letter limit does not bind a batch
    response = studio.upload(b"sender_name,recipient_name,years\n" + b"Sam,Chris,12\n" * 400)
    assert response.status_code == 303


def test_an_upload_without_its_csrf_token_is_refused(client):
    response = client.post("/letters/anniversary/many", content_type="multipart/form-data",
                           data={"rows": (io.BytesIO(b"sender_name\nSam\n"), "guests.csv")})
    assert response.status_code == 400 and "choose the file again" in response.get_data(as_text=True)


def test_a_finished_batch_is_still_there_after_a_restart(studio, client, tmp_path, templates_dir):
    job_url = studio.upload(b"sender_name,recipient_name,years\nSam,Chris,12\n").headers["Location"]
    studio.start(job_url, output="zip")
    studio.wait(job_url)
    restarted = create_app({"TESTING": True, "SECRET_KEY": "test-only-secret", "TEMPLATES": str(templates_dir),
                            "INSTANCE_PATH": str(tmp_path / "instance")}).test_client()
    restarted.set_cookie("session", client.get_cookie("session").value)  # the same browser, back again
    assert "Your letters are ready" in restarted.get(job_url).get_data(as_text=True)
    archive = zipfile.ZipFile(io.BytesIO(restarted.get(f"{job_url}/letters").data))
    assert archive.namelist() == ["0001-anniversary-to-chris.pdf", "manifest.csv"]


def test_a_batch_belongs_to_its_template_and_unknown_ones_are_404(studio, client):
    job_url = studio.upload(b"sender_name,recipient_name,years\nSam,Chris,12\n").headers["Location"]
    assert client.get(job_url.replace("/anniversary/", "/thank-you/")).status_code == 404
    assert client.get("/letters/anniversary/many/AAAAAAAAAAAAAAAA").status_code == 404
    assert client.get("/letters/anniversary/many/..%2F..%2Fsecret_key").status_code == 404
