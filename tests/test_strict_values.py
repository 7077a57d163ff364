"""A studio gets an error, never a wrong letter: each field takes the JSON types that mean it, blank text is empty,
the seed is refused out of range, null and NaN are refused, and a row's extra cells are that row's problem."""

import json

import pytest
from conftest import pdf_text

from letterhouse.batch.checking import check_rows
from letterhouse.batch.rows import read_rows

THANKS = {"sender_name": "Sam Okafor", "recipient_name": "Aunt Ingrid", "what": "the blue scarf"}
CHRIS = {"sender_name": "Sam Okafor", "recipient_name": "Chris Lindqvist", "years": 12, "memory": "Lyon"}
BODIES = {"thank-you": THANKS, "anniversary": CHRIS}
CSV_HEADER = "sender_name,recipient_name,what"
SEED_RANGE = "The seed must be a whole number from 0 to 4294967295"


def letter_url(slug):
    return f"/api/v1/letters/{slug}"


def batch_url(slug, query=""):
    return f"/api/v1/templates/{slug}/batches{query}"


def post_letter(client, slug, body):
    return client.post(letter_url(slug), json=body)


def post_text(client, url, text, content_type="application/json"):
    """POST a body exactly as written: what json= cannot send, like NaN."""
    return client.post(url, data=text.encode(), content_type=content_type)


def field_errors(response):
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    return response.get_json()["errors"]


def row_errors(response):
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    return [(error["row"], error["field"], error["message"]) for error in response.get_json()["rows"]]


def message(response):
    return response.get_json()["detail"]


@pytest.fixture
def template(app):
    with app.app_context():
        yield app.extensions["letterhouse.letters.catalog"].get("thank-you")


def csv_check(template, text):
    return check_rows(template, read_rows(text.encode(), "csv"))


# --- each field type takes the JSON types that mean it ---

WRONG_TYPES = [
    ("thank-you", "what", 12345, "What you are thanking them for must be text (a JSON string), not a number."),
    ("thank-you", "what", True, "What you are thanking them for must be text (a JSON string), not true."),
    ("thank-you", "recipient_name", False, "Their name must be text (a JSON string), not false."),
    ("thank-you", "what", ["scarf"], "What you are thanking them for must be text (a JSON string), not a list."),
    ("thank-you", "what", {"a": 1}, "What you are thanking them for must be text (a JSON string), not an object."),
    ("thank-you", "kind", 1, "You are thanking them for must be one of its choices (a JSON string), not a number."),
    ("thank-you", "we", "yes", "Written by two or more of us must be true or false (a JSON boolean), not a string."),
    ("thank-you", "we", 1, "Written by two or more of us must be true or false (a JSON boolean), not a number."),
    ("thank-you", "date", 20260214, 'Date must be a date (a JSON string, like "2026-02-14"), not a number.'),
    ("thank-you", "date", "14 February 2026", "Date is not a date like 2026-02-14."),
    ("thank-you", "date", "２０２６-02-14", "Date is not a date like 2026-02-14."),
    ("anniversary", "years", "12", "Years together must be a whole number (a JSON integer, like 12), not a string."),
    ("anniversary", "years", True, "Years together must be a whole number (a JSON integer, like 12), not true."),
    ("anniversary", "years", 1.5,
     "Years together must be a whole number (a JSON integer, like 12), not a number with a fraction."),
]


@pytest.mark.parametrize("slug, name, value, refusal", WRONG_TYPES)
def test_a_value_of_the_wrong_json_type_is_422_naming_the_type_expected(client, slug, name, value, refusal):
    errors = field_errors(post_letter(client, slug, {**BODIES[slug], name: value}))
    assert errors == {name: [refusal]}


@pytest.mark.parametrize("slug, name, value, refusal", WRONG_TYPES[:4])
def test_a_wrong_type_in_a_json_batch_row_names_its_row_and_the_type(client, slug, name, value, refusal):
    response = client.post(batch_url(slug), json=[BODIES[slug], {**BODIES[slug], name: value}])
    assert row_errors(response) == [(2, name, refusal)]


def test_a_whole_number_written_as_json_schema_allows_is_that_number(client):
    response = post_letter(client, "anniversary", {**CHRIS, "years": 12.0, "seed": 7.0})
    assert response.status_code == 200 and response.headers["Letterhouse-Seed"] == "7"
    assert "twelve years" in pdf_text(response.data)


# --- invalid JSON, and numbers too large to be numbers ---

@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json_and_are_400(client, constant):
    body = json.dumps(THANKS)[:-1] + f', "what": {constant}}}'
    response = post_text(client, letter_url("thank-you"), body)
    assert response.status_code == 400
    assert f"{constant} is not a JSON value (JSON has no NaN or Infinity)" in message(response)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_a_json_batch_are_400(client, constant):
    body = f'[{json.dumps(THANKS)}, {{"sender_name": "Sam", "recipient_name": "Kim", "what": {constant}}}]'
    response = post_text(client, batch_url("thank-you"), body)
    assert response.status_code == 400
    assert f"{constant} is not a JSON value" in message(response)


@pytest.mark.parametrize("slug, name, refusal", [
    ("thank-you", "what", "What you are thanking them for must be text (a JSON string), "
                          "not a number too large to be read."),
    ("anniversary", "years", "Years together must be a whole number (a JSON integer, like 12), "
                             "not a number too large to be read."),
    ("thank-you", "seed", f"{SEED_RANGE} (a JSON integer)."),
])
def test_a_number_too_large_for_a_float_is_422_and_never_inf_in_a_letter(client, slug, name, refusal):
    body = json.dumps(BODIES[slug])[:-1] + f', "{name}": 1e400}}'
    assert field_errors(post_text(client, letter_url(slug), body)) == {name: [refusal]}


# --- blank-looking text is empty ---

BLANKS = ["   ", "\u00a0", "\u200b", "\u2003\u3000", "\ufeff", "\u200b\u200d\u2060", "\t\u00ad", "\u3164"]


@pytest.mark.parametrize("blank", BLANKS)
def test_required_text_that_shows_nothing_is_not_filled_in_through_the_api(client, blank):
    errors = field_errors(post_letter(client, "thank-you", {**THANKS, "what": blank}))
    assert errors == {"what": ["Please fill in what you are thanking them for."]}


@pytest.mark.parametrize("blank", BLANKS)
def test_required_text_that_shows_nothing_is_not_filled_in_in_a_csv_batch(client, blank):
    rows = f"{CSV_HEADER}\nSam,Ingrid,the scarf\nSam,Kim,{blank}\n"
    response = post_text(client, batch_url("thank-you"), rows, "text/csv")
    assert row_errors(response) == [(3, "what", "Please fill in what you are thanking them for.")]


@pytest.mark.parametrize("blank", BLANKS)
def test_required_text_that_shows_nothing_is_not_filled_in_on_the_form(letters, blank):
    response = letters.submit("thank-you", {**THANKS, "what": blank})
    assert response.status_code == 422
    assert "Please fill in what you are thanking them for." in response.get_data(as_text=True)


def test_optional_text_that_shows_nothing_is_left_empty_not_printed(client):
    response = post_letter(client, "thank-you", {**THANKS, "closing": "\u200b\u00a0", "seed": 1})
    assert response.status_code == 200
    assert "With love and thanks," in pdf_text(response.data)  # the template's own closing, as for ""


# --- the seed ---

@pytest.mark.parametrize("seed", ["abc", -1, 1.5, "１２３", "123", 4294967296, True, [1]])
def test_a_seed_out_of_range_or_of_another_type_is_422_saying_the_range(client, seed):
    assert field_errors(post_letter(client, "thank-you", {**THANKS, "seed": seed})) == {
        "seed": [f"{SEED_RANGE} (a JSON integer)."]}


@pytest.mark.parametrize("seed", [0, 4294967295])
def test_a_seed_in_range_is_the_seed_the_letter_is_written_with(client, seed):
    response = post_letter(client, "thank-you", {**THANKS, "seed": seed})
    assert response.status_code == 200 and response.headers["Letterhouse-Seed"] == str(seed)


def test_a_csv_seed_of_digits_is_that_seed_and_anything_else_is_its_rows_problem(template):
    check = csv_check(template, f"{CSV_HEADER},seed\nSam,Ingrid,the scarf,123\nSam,Kim,the tea,１２３\n"
                                "Sam,Alex,the book,4294967296\nSam,Jo,the pen,-1\n")
    assert [item.letter.seed for item in check.letters] == [123]
    assert [str(problem) for problem in check.problems] == [f"row {row}, seed: {SEED_RANGE}." for row in (3, 4, 5)]


def test_a_seed_tampered_with_in_the_form_is_refused_not_wrapped(letters):
    response = letters.submit("thank-you", {**THANKS, "seed": "4294967296"})
    assert response.status_code == 422 and f"{SEED_RANGE}." in response.get_data(as_text=True)


def test_the_openapi_document_still_gives_the_seeds_range(client):
    seed = client.get("/api/v1/templates/thank-you").get_json()["schema"]["properties"]["seed"]
    assert (seed["type"], seed["minimum"], seed["maximum"]) == ("integer", 0, 4294967295)


# --- null is no value ---

NULL = "{label}: null is not a value; leave the field out for its default, or give a value."


@pytest.mark.parametrize("name, label", [("page_size", "Page size"), ("hand", "Handwriting"),
                                         ("place", "Written from"), ("what", "What you are thanking them for"),
                                         ("we", "Written by two or more of us"), ("seed", "Seed")])
def test_null_in_a_letter_is_422_naming_the_field_never_its_default(client, name, label):
    assert field_errors(post_letter(client, "thank-you", {**THANKS, name: None})) == {
        name: [NULL.format(label=label)]}


@pytest.mark.parametrize("query", ["", "?page_size=A5"])
def test_null_in_a_json_batch_row_is_its_rows_problem_even_with_a_style_for_the_batch(client, query):
    response = client.post(batch_url("thank-you", query), json=[THANKS, {**THANKS, "page_size": None}])
    assert row_errors(response) == [(2, "page_size", NULL.format(label="Page size"))]


def test_an_empty_string_is_a_text_field_left_empty_as_an_empty_cell_is(client):
    response = post_letter(client, "thank-you", {**THANKS, "closing": "", "place": "", "date": ""})
    assert response.status_code == 200
    assert "With love and thanks," in pdf_text(response.data) and "15 June 2026" in pdf_text(response.data)


# --- a CSV row with more cells than the header ---

def test_a_csv_row_with_an_extra_cell_is_reported_at_that_row_not_the_header(client):
    rows = f"{CSV_HEADER}\nSam,Ingrid,the scarf\nSam,Kim,the tea,and biscuits\nSam,Jo,the pen\n"
    response = post_text(client, batch_url("thank-you"), rows, "text/csv")
    assert row_errors(response) == [(3, "", "This row has 1 cell(s) more than the header has columns "
                                            "(“and biscuits”): give each a heading in row 1, or remove them.")]


def test_the_other_rows_of_a_file_with_an_extra_cell_can_still_be_written(template):
    check = csv_check(template, f"{CSV_HEADER}\nSam,Ingrid,the scarf\nSam,Kim,the tea,and biscuits\n")
    assert [item.row.number for item in check.letters] == [2]
    assert [problem.row for problem in check.problems] == [3]


# --- the site's form is for people ---

def test_a_number_typed_in_the_form_is_a_number(letters, anniversary_values):
    response = letters.submit("anniversary", {**anniversary_values, "years": " 12 "})
    assert response.status_code == 200 and "Download PDF" in response.get_data(as_text=True)


@pytest.mark.parametrize("typed, refusal", [
    ("twelve", "Years together must be a whole number, like 12."),
    ("１２", "Years together must be a whole number written with the digits 0 to 9, like 12."),
    ("1.5", "Years together must be a whole number, like 12."),
])
def test_the_form_refuses_a_number_in_words_for_people_never_for_json(letters, anniversary_values, typed, refusal):
    token = letters.csrf_token(letters.open_form("anniversary"))
    response = letters.client.post("/letters/anniversary/preview.json", data={**anniversary_values, "years": typed},
                                   headers={"X-CSRFToken": token})
    errors = response.get_json()["errors"]
    assert errors == {"years": [refusal]}
    assert "JSON" not in json.dumps(errors)
