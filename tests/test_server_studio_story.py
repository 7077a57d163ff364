"""A studio's own client, written from the document alone, against `letterhouse serve`: it finds a letter, builds
a body from its schema, writes twenty letters in the world's scripts, sends two batches of two hundred (a CSV and a
JSON array), hears back when they are done, downloads them and reads every letter; then everything it might get
wrong is refused, each in the words the issue asked for."""

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import pytest
from callback_receiver import Receiver
from conftest import pdf_shows, pdf_text
from serving import letterhouse_serve, wait_for
from test_api_studio import readme_verify_signature

TOKEN = "studio-token"
SCRIPTS = [  # (recipient, sender): names people have, in the scripts the hands write
    ("Grace Hopper", "Ada Byron"), ("Zofia Żółkiewska", "Jerzy Łęcki"), ("Nguyễn Thị Minh", "Trần Văn Hùng"),
    ("Анна Каренина", "Лев Толстой"), ("Ελένη Παππά", "Νίκος Καζαντζάκης"), ("ليلى أحمد", "Omar Haddad"),
    ("प्रिया शर्मा", "Ravi Kumar"), ("王小明", "李华"), ("さくら", "山田太郎"), ("김민지", "박서준"),
    ("Çağla Öztürk", "Emre Şahin"), ("Jiří Dvořák", "Božena Němcová"), ("Jürgen Groß", "Käthe Müller"),
    ("Zoë Lefèvre", "Aurélien Dupré"), ("Íñigo Núñez", "Begoña Ibáñez"), ("Þóra Sigurðardóttir", "Ægir Jónsson"),
    ("Ștefan Țurcanu", "Ioana Ilieș"), ("Олена Шевченко", "Тарас Коваль"), ("山田 花子", "鈴木 一郎"),
    ("Siobhán O'Brien-Smith", "Niamh Ní Bhriain"),
]
UNEXTRACTABLE = {"ليلى أحمد"}  # Arabic's joined letters extract imperfectly (tests/test_scripts.py)


class StudioClient:
    """A small client a studio might write with nothing but urllib and the document."""

    def __init__(self, server):
        self.server = server

    def call(self, method, path, body=None, content_type="application/json", headers=None, query=None):
        """Return (status, headers, parsed JSON or raw bytes) of one call."""
        url = self.server("/api/v1" + path) + ("?" + urllib.parse.urlencode(query) if query else "")
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Bearer {TOKEN}", "Content-Type": content_type, **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.headers, self.read(response)
        except urllib.error.HTTPError as error:
            return error.code, error.headers, self.read(error)

    def read(self, response):
        raw = response.read()
        return json.loads(raw) if response.headers.get_content_type().endswith("json") else raw

    def finished(self, status_url):
        path = status_url.removeprefix("/api/v1")
        return wait_for(lambda: (s := self.call("GET", path)[2])["state"] in ("done", "failed") and s, 300,
                        "the batch finished")


def body_from_schema(schema, text="Ada"):
    """Return the least body the schema asks for: each required field its default, first choice, least number,
    or `text`; whatever a studio's code generator would fill in, from the schema alone."""
    body = {}
    for name in schema["required"]:
        field = schema["properties"][name]
        if "default" in field:
            body[name] = field["default"]
        elif "enum" in field:
            body[name] = next(value for value in field["enum"] if value != "")
        elif field.get("type") == "integer":
            body[name] = field.get("minimum", 1)
        elif field.get("type") == "boolean":
            body[name] = False
        else:
            body[name] = text
    return body


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    root = tmp_path_factory.mktemp("studio")
    settings = {"LETTERHOUSE_API_TOKENS": TOKEN, "LETTERHOUSE_CALLBACK_HOSTS": "127.0.0.1",
                "LETTERHOUSE_BATCH_WORKERS": "2", "LETTERHOUSE_LETTER_RATE_LIMIT": "600/minute"}
    with letterhouse_serve(root, environment=settings) as server:
        yield StudioClient(server)


def test_a_studio_finds_a_letter_and_fills_it_in_from_its_schema_alone(studio):
    status, _, listing = studio.call("GET", "/templates")
    assert status == 200 and "thank-you" in [t["slug"] for t in listing["templates"]]
    _, _, template = studio.call("GET", "/templates/thank-you")
    body = body_from_schema(template["schema"])
    assert set(body) >= {"sender_name", "recipient_name", "what"}
    status, headers, pdf = studio.call("POST", "/letters/thank-you", body)
    assert status == 200 and headers["Content-Type"] == "application/pdf" and pdf_shows(pdf, "Dear Ada,")
    assert headers["RateLimit-Policy"] == '"letters";q=600;w=60'


def test_twenty_letters_in_the_worlds_scripts_each_say_what_was_asked(studio):
    for recipient, sender in SCRIPTS:
        body = {"sender_name": sender, "recipient_name": recipient, "what": "the lantern for the garden",
                "metadata": {"order": f"A-{len(recipient)}"}}
        status, headers, pdf = studio.call("POST", "/letters/thank-you", body)
        assert status == 200, (recipient, pdf)
        text = pdf_text(pdf)
        assert pdf_shows(text, "the lantern for the garden") and "A-" not in text
        if recipient not in UNEXTRACTABLE:
            assert pdf_shows(text.replace(" ", ""), recipient.split()[0]), (recipient, text[:200])
        assert "Letterhouse-Notes" not in headers, (recipient, headers["Letterhouse-Notes"])  # every one written


def guests(count):
    """Return the party's guests as JSON rows, each with the studio's own reference for them."""
    return [{"sender_name": "The Okafors", "recipient_name": f"Guest{n:03d} Lindqvist",
             "what": f"coming to the party with dish number {n}", "metadata": {"guest": guest_ref(n)}}
            for n in range(1, count + 1)]


def guest_ref(n):
    return f"G{n:04d}X"


def as_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["guest", "sender_name", "recipient_name", "what"])
    writer.writerows([row["metadata"]["guest"], row["sender_name"], row["recipient_name"], row["what"]]
                     for row in rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_two_hundred_letters_in_a_batch_come_back_every_one_as_written(studio, kind):
    rows = guests(200)
    body, content_type, query = ((as_csv(rows), "text/csv", {"own_columns": "guest"}) if kind == "csv"
                                 else (rows, "application/json", {}))
    secret = studio.call("GET", "/callback-secret")[2]["secret"]
    with Receiver() as receiver:
        status, headers, started = studio.call(
            "POST", "/templates/thank-you/batches", body, content_type, headers={"Idempotency-Key": f"party-{kind}"},
            query={**query, "callback_url": receiver.url, "metadata": json.dumps({"party": kind})})
        assert status == 201 and headers["Location"] == started["status_url"]
        done = studio.finished(started["status_url"])
        [delivery] = receiver.wait_for(1)  # sent by the server's batch runner process
    assert (done["state"], done["letters"], done["row_errors"], done["metadata"]) == ("done", 200, [], {"party": kind})
    assert readme_verify_signature()(secret, delivery.headers["letterhouse-signature"], delivery.body)
    assert json.loads(delivery.body)["result_url"].endswith(done["result_url"])
    _, _, archive_bytes = studio.call("GET", done["result_url"].removeprefix("/api/v1"))
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        letters = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
        assert len(letters) == 200
        for n, name in enumerate(letters, start=1):
            text = pdf_text(archive.read(name))
            assert pdf_shows(text, f"Dear Guest{n:03d},") and pdf_shows(text, f"dish number {n}."), name
            assert guest_ref(n) not in text  # the studio's own reference is never printed
    manifest = studio.call("GET", done["manifest_url"].removeprefix("/api/v1"))[2]["letters"]
    assert [entry["metadata"] for entry in manifest] == [{"guest": guest_ref(n)} for n in range(1, 201)]
    status, headers, again = studio.call(  # the studio's retry after a timeout: the same batch, not another
        "POST", "/templates/thank-you/batches", body, content_type, headers={"Idempotency-Key": f"party-{kind}"},
        query={**query, "callback_url": receiver.url, "metadata": json.dumps({"party": kind})})
    assert (status, headers["Idempotent-Replayed"], again["id"]) == (201, "true", started["id"])


CHRIS = {"sender_name": "Sam", "recipient_name": "Chris", "what": "the loan of your bicycle"}


@pytest.mark.parametrize(("change", "status", "says"), [
    ({"what": 12345}, 422, "must be text (a JSON string), not a number"),
    ({"what": True}, 422, "must be text (a JSON string), not true"),
    ({"what": "   "}, 422, "Please fill in"),
    ({"what": "\u00a0"}, 422, "Please fill in"),
    ({"what": "\u200b"}, 422, "Please fill in"),
    ({"seed": "abc"}, 422, "The seed must be a whole number from 0 to 4294967295"),
    ({"seed": -1}, 422, "The seed must be a whole number from 0 to 4294967295"),
    ({"seed": 1.5}, 422, "The seed must be a whole number from 0 to 4294967295"),
    ({"seed": "１２３"}, 422, "The seed must be a whole number from 0 to 4294967295"),
    ({"seed": 4294967296}, 422, "The seed must be a whole number from 0 to 4294967295"),
    ({"recipient_name": False}, 422, "not false"),
    ({"metadata": {"lines": [1, 2]}}, 422, "must be text, a number, true, false or null"),
])
def test_each_malformed_value_is_refused_naming_what_is_wrong(studio, change, status, says):
    answer_status, headers, problem = studio.call("POST", "/letters/thank-you", {**CHRIS, **change})
    assert (answer_status, headers.get_content_type()) == (status, "application/problem+json"), problem
    assert problem["code"] == "invalid-values" and says in json.dumps(problem["errors"], ensure_ascii=False)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_json_that_is_not_json_is_a_400(studio, number):
    body = f'{{"sender_name": "Sam", "recipient_name": "Chris", "what": "x", "seed": {number}}}'.encode()
    status, _, problem = studio.call("POST", "/letters/thank-you", body)
    assert (status, problem["code"]) == (400, "invalid-json") and "JSON has no NaN or Infinity" in problem["detail"]


def test_a_rows_null_and_a_csv_rows_extra_cell_are_named_at_their_rows(studio):
    status, _, problem = studio.call("POST", "/templates/thank-you/batches", [CHRIS, {**CHRIS, "page_size": None}])
    assert (status, problem["code"]) == (422, "invalid-rows")
    assert [(row["row"], row["field"]) for row in problem["rows"]] == [(2, "page_size")]
    rows = b"sender_name,recipient_name,what\nSam,Chris,the bicycle\nSam,Alex,the kettle,EXTRA\n"
    status, _, problem = studio.call("POST", "/templates/thank-you/batches", rows, "text/csv")
    assert (status, [row["row"] for row in problem["rows"]]) == (422, [3])


def test_a_misspelt_option_an_unlisted_callback_and_an_old_address_start_nothing(studio):
    before = studio.call("GET", "/batches", query={"limit": 100})[2]["batches"]
    status, _, problem = studio.call("POST", "/templates/thank-you/batches", [CHRIS], query={"outptu": "pdf"})
    assert (status, problem["code"], problem["parameter"]) == (400, "unknown-parameter", "outptu")
    status, _, problem = studio.call("POST", "/templates/thank-you/batches", [CHRIS],
                                     query={"callback_url": "http://169.254.169.254/latest/meta-data"})
    assert (status, problem["code"]) == (422, "invalid-callback")
    assert studio.call("POST", "/batches/thank-you", [CHRIS])[0] == 405  # the old address: reading only
    assert studio.call("GET", "/batches", query={"limit": 100})[2]["batches"] == before
