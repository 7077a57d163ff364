"""A studio's own references travel with each letter, into the manifest, and are never printed."""

import csv
import io
import json
import zipfile

import pytest
from conftest import BUNDLED_TEMPLATES, pdf_text

from letterhouse.batch.checking import check_rows
from letterhouse.batch.letter_data import letter_from_object
from letterhouse.batch.manifest import keep_manifest, kept_manifest
from letterhouse.batch.options import read_batch_options
from letterhouse.batch.rows import read_rows
from letterhouse.batch.studio_metadata import MAX_MEMBERS, MAX_TEXT_LENGTH, metadata_from_text, read_metadata
from letterhouse.batch.writing import write_batch
from letterhouse.config import load_settings
from letterhouse.letters.catalog import catalog_from_config
from letterhouse.letters.fields import name_problem

SECRET = "ORDER-7731-QX"


@pytest.fixture(scope="module")
def template():
    return catalog_from_config(load_settings({"TEMPLATES": str(BUNDLED_TEMPLATES)})).usable_template("anniversary")


def checked(template, rows, kind="json", own_columns=""):
    options, errors = read_batch_options(template, own_columns=own_columns)
    assert errors == {}
    text = json.dumps(rows) if kind == "json" else rows
    return check_rows(template, read_rows(text.encode(), kind), options=options)


def problems_of(check):
    return [str(problem) for problem in check.problems]


def test_a_letters_metadata_is_checked_and_kept_out_of_the_letter(template):
    letter, errors = letter_from_object(template, {"sender_name": "Sam", "years": 3, "recipient_name": "Chris",
                                                   "metadata": {"order": SECRET, "lines": 2, "paid": True}})
    assert errors == {} and "metadata" not in letter.values
    assert SECRET not in json.dumps(letter.values, default=str)


@pytest.mark.parametrize(("metadata", "says"), [
    ("ORDER-1", "metadata must be a JSON object, like {\"order_id\": \"A-1042\"}, not a string"),
    ([SECRET], "not a list"),
    (None, "not null"),
    (7, "not a number"),
    ({"lines": [1, 2]}, "metadata's “lines” must be text, a number, true, false or null, not a list"),
    ({"customer": {"id": 7}}, "not an object: keep references here, not documents"),
    ({"note": "x" * (MAX_TEXT_LENGTH + 1)}, f"metadata's “note” may be at most {MAX_TEXT_LENGTH} characters; it has"),
    ({"": "x"}, "Each name in metadata must be 1 to 40 characters; “” has 0."),
    ({"n" * 41: "x"}, "has 41"),
    ({f"k{n}": n for n in range(MAX_MEMBERS + 1)}, f"at most {MAX_MEMBERS} members; this has {MAX_MEMBERS + 1}"),
    ({"big": 1e400}, "metadata's “big” is a number too large to be read"),
])
def test_metadata_that_is_not_a_few_references_is_refused_by_name(template, metadata, says):
    letter, errors = letter_from_object(template, {"sender_name": "Sam", "years": 3, "recipient_name": "Chris",
                                                   "metadata": metadata})
    assert letter is None and list(errors) == ["metadata"] and says in errors["metadata"][0]


def test_the_bounds_are_counted_in_characters():
    assert read_metadata({"n": "é" * MAX_TEXT_LENGTH, "ü" * 40: None})[1] == []
    assert read_metadata({f"k{n}": n for n in range(MAX_MEMBERS)})[1] == []


def test_metadata_from_a_query_string_is_json_text():
    assert metadata_from_text('{"campaign": "june"}') == ({"campaign": "june"}, [])
    assert "written as JSON text" in metadata_from_text("campaign=june")[1][0]
    assert "not a list" in metadata_from_text("[1]")[1][0]
    assert "written as JSON text" in metadata_from_text('{"n": NaN}')[1][0]


def test_no_template_may_name_a_field_metadata():
    assert "is a common field" in name_problem("metadata")


def test_json_rows_carry_their_metadata_into_both_manifests_and_never_onto_the_page(template, tmp_path):
    rows = [{"sender_name": "Sam", "years": 3, "recipient_name": "Chris", "metadata": {"order": SECRET, "qty": 2}},
            {"sender_name": "Sam", "years": 3, "recipient_name": "Alex"}]
    check = checked(template, rows)
    assert problems_of(check) == []
    write_batch(check, tmp_path / "letters.zip", jobs=1)
    with zipfile.ZipFile(tmp_path / "letters.zip") as archive:
        manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
        texts = [pdf_text(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf")]
    assert manifest == [["row", "file", "recipient", "pages", "metadata"],
                        ["1", "0001-anniversary-to-chris.pdf", "Chris", "1", '{"order": "ORDER-7731-QX", "qty": 2}'],
                        ["2", "0002-anniversary-to-alex.pdf", "Alex", "1", ""]]
    assert "Dear Chris," in texts[0] and not any(SECRET in text or "qty" in text for text in texts)


def test_the_manifest_kept_for_the_api_has_each_letters_metadata_typed(template, tmp_path):
    rows = [{"order_id": 17, "sender_name": "Sam", "years": 3, "recipient_name": "Chris", "metadata": {"ref": SECRET}}]
    check = checked(template, rows, own_columns="order_id")
    result = write_batch(check, tmp_path / "letters.pdf", jobs=1)
    keep_manifest(tmp_path / "manifest.json", result.manifest)
    assert kept_manifest(tmp_path / "manifest.json") == [
        {"row": 1, "file": "0001-anniversary-to-chris.pdf", "recipient": "Chris", "pages": 1, "first_page": 1,
         "metadata": {"order_id": 17, "ref": SECRET}}]
    assert SECRET not in pdf_text((tmp_path / "letters.pdf").read_bytes())


def test_a_csv_rows_own_columns_are_its_metadata(template, tmp_path):
    rows = f"ref,sender_name,recipient_name,years\n{SECRET},Sam,Chris,3\n"
    check = checked(template, rows, kind="csv", own_columns="ref")
    result = write_batch(check, tmp_path / "out", jobs=1)
    assert result.manifest.as_json()[0]["metadata"] == {"ref": SECRET}
    assert SECRET not in pdf_text((tmp_path / "out" / "0001-anniversary-to-chris.pdf").read_bytes())


def test_a_rows_bad_metadata_is_that_rows_problem(template):
    rows = [{"sender_name": "Sam", "years": 3, "recipient_name": "Chris", "metadata": "ORDER-1"},
            {"sender_name": "Sam", "years": 3, "recipient_name": "Alex", "metadata": {"x": "y" * 501}},
            {"order_id": 1, "sender_name": "Sam", "years": 3, "recipient_name": "Kim", "metadata": {"order_id": 2}}]
    check = checked(template, rows, own_columns="order_id")
    assert [problem.row for problem in check.problems] == [1, 2, 3] and check.letters == []
    assert all(problem.field == "metadata" for problem in check.problems)
    assert "“order_id” is one of your own columns and a member of metadata too" in check.problems[2].message


def test_in_a_csv_file_metadata_is_a_column_like_any_other_and_must_be_marked(template):
    check = checked(template, f"sender_name,recipient_name,years,metadata\nSam,Chris,3,{SECRET}\n", kind="csv")
    assert problems_of(check)[0].startswith("row 1, metadata: There is no field called “metadata”.")
