"""Write the commented starter template `letterhouse templates new` gives an author."""

from pathlib import Path
from string import Template

from letterhouse.letters.catalog import SLUG, example_path

STARTER = Path(__file__).parent


class StarterRefused(ValueError):
    """A starter that would be unusable, or would overwrite someone's work."""


def write_starter(slug, directory):
    """Write <slug>.jinja and examples/<slug>.json into directory and return both paths.

    :raise StarterRefused: for a slug that cannot name a template, or when either file exists.
    """
    if not SLUG.match(slug):
        raise StarterRefused(f"{slug!r} cannot name a template: use lowercase letters, digits and "
                             "hyphens, starting with a letter or digit, like 'thank-you-neighbour'")
    template = Path(directory) / f"{slug}.jinja"
    example = example_path(template)
    for path in (template, example):
        if path.exists():
            raise StarterRefused(f"{path} already exists; choose another name or remove it first")
    example.parent.mkdir(parents=True, exist_ok=True)
    names = {"title": slug.replace("-", " ").capitalize(), "path": template, "example": example}
    starter = Template((STARTER / "starter.jinja").read_text(encoding="utf-8"))
    template.write_text(starter.substitute(names), encoding="utf-8")
    example.write_text((STARTER / "starter.json").read_text(encoding="utf-8"), encoding="utf-8")
    return template, example
