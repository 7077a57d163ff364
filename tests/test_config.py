"""Settings come from defaults, then LETTERHOUSE_* variables, then the test dict; every one is documented."""

import re
from pathlib import Path

from letterhouse import create_app
from letterhouse.config import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_environment_variables_override_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("LETTERHOUSE_MAX_PAGES", "20")
    monkeypatch.setenv("LETTERHOUSE_TEMPLATES", str(tmp_path))
    app = create_app({"SECRET_KEY": "k"})
    assert app.config["MAX_PAGES"] == 20
    assert app.config["TEMPLATES"] == str(tmp_path)


def test_test_config_overrides_the_environment(monkeypatch):
    monkeypatch.setenv("LETTERHOUSE_MAX_PAGES", "20")
    assert create_app({"SECRET_KEY": "k", "MAX_PAGES": 3}).config["MAX_PAGES"] == 3


def test_secret_key_is_generated_once_and_kept_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("LETTERHOUSE_SECRET_KEY", raising=False)
    monkeypatch.setenv("LETTERHOUSE_INSTANCE_PATH", str(tmp_path / "instance"))
    first = create_app({"TESTING": True}).config["SECRET_KEY"]
    again = create_app({"TESTING": True}).config["SECRET_KEY"]
    assert first == again
    assert len(first) >= 32 and first != "dev"
    assert (tmp_path / "instance" / "secret_key").read_text().strip() == first


def test_secret_key_from_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("LETTERHOUSE_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("LETTERHOUSE_INSTANCE_PATH", str(tmp_path))
    assert create_app().config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_every_setting_is_in_the_readme():
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README.read_text(), re.MULTILINE))
    missing = {setting.name for setting in SETTINGS} - documented
    assert not missing, f"settings missing from README's table: {sorted(missing)}"


def test_the_render_time_limit_is_a_setting_like_any_other(monkeypatch, tmp_path):
    monkeypatch.setenv("LETTERHOUSE_RENDER_TIME_LIMIT", "0.5")
    assert create_app({"SECRET_KEY": "k"}).config["RENDER_TIME_LIMIT"] == 0.5
    assert create_app({"SECRET_KEY": "k", "RENDER_TIME_LIMIT": 2}).config["RENDER_TIME_LIMIT"] == 2


def test_the_instance_path_is_a_setting_like_any_other(monkeypatch, tmp_path):
    monkeypatch.delenv("LETTERHOUSE_SECRET_KEY", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path / "here")})
    assert app.instance_path == app.config["INSTANCE_PATH"] == str(tmp_path / "here")
    assert (tmp_path / "here" / "secret_key").exists()
