"""Read a template file's front matter and check its body, reporting each mistake at its line."""

import difflib

import yaml
from jinja2 import nodes

from letterhouse.letters.field_types import FIELD_TYPES
from letterhouse.letters.fields import COMMON_FIELDS, FIELD_KEYS, STYLE_FIELDS, FieldSpec, name_problem
from letterhouse.letters.problems import Problem
from letterhouse.letters.sandbox_limits import constant_refusals

TOP_LEVEL_KEYS = ("title", "description", "occasion", "keywords", "defaults", "fields")
BUILT_IN_FIELDS = {spec.name: spec for spec in COMMON_FIELDS + STYLE_FIELDS}


class LineDict(dict):
    """A YAML mapping that remembers the line it started on (1-based, in the YAML text)."""

    def __init__(self, items=(), line=0, key_lines=None):
        super().__init__(items)
        self.line = line
        self.key_lines = key_lines or {}  # key -> its line

    def line_of(self, key):
        """Return the line where `key` is written in this mapping."""
        return self.key_lines.get(key, self.line)


MAX_YAML_DEPTH = 20  # front matter is a few levels deep; a thousand '[' would exhaust the stack


class LineLoader(yaml.SafeLoader):
    """A safe YAML loader whose mappings know their line numbers, refusing aliases and deep nesting.

    An alias lets 500 bytes stand for gigabytes ("billion laughs"), and front matter never needs one.
    """

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            self.refuse("anchors and aliases ('&' and '*') are not allowed in front matter", event)
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                self.refuse(f"front matter nests deeper than {MAX_YAML_DEPTH} levels", event)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    @staticmethod
    def refuse(message, event):
        raise yaml.composer.ComposerError(None, None, message, event.start_mark)

    def construct_mapping(self, node, deep=False):
        key_lines = {self.construct_object(key_node): key_node.start_mark.line + 1 for key_node, _ in node.value}
        return LineDict(super().construct_mapping(node, deep=True), node.start_mark.line + 1, key_lines)


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LineLoader.construct_mapping)


def split_front_matter(text):
    """Return (yaml text, body text, line of the body's first line), or None without front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return None


def parse_front_matter(filename, text):
    """Return (meta, field specs, body text, body line, problems) for a template file's text."""
    parts = split_front_matter(text)
    if parts is None:
        message = "a template starts with front matter between two '---' lines"
        return {}, [], None, 0, [Problem(filename, 1, message)]
    yaml_text, body_text, body_line = parts
    try:
        data = yaml.load(yaml_text, Loader=LineLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        reason = getattr(error, "problem", None) or str(error)
        return {}, [], None, 0, [Problem(filename, line, f"front matter is not valid YAML: {reason}")]
    except (ValueError, OverflowError) as error:  # a timestamp like 2026-02-30, read as a date
        return {}, [], None, 0, [Problem(filename, 2, f"front matter has a value YAML cannot read: {error}")]
    if not isinstance(data, dict):
        return {}, [], None, 0, [Problem(filename, 2, "front matter must be a mapping of keys to values")]
    reader = FrontMatterReader(filename, yaml_text)
    fields = reader.read_fields(data.get("fields") or [])
    reader.check_top_level(data)
    reader.check_defaults(data.get("defaults") or {}, fields)
    return data, fields, body_text, body_line, reader.problems


class FrontMatterReader:
    """Turn front matter into FieldSpecs, collecting a Problem for each mistake."""

    def __init__(self, filename, yaml_text):
        self.filename = filename
        self.yaml_lines = yaml_text.splitlines()
        self.problems = []

    def problem(self, yaml_line, message, severity="error"):
        self.problems.append(Problem(self.filename, yaml_line + 1, message, severity))

    def key_line(self, key):
        """Return the YAML line where a top-level key is written, or 1."""
        for number, line in enumerate(self.yaml_lines, start=1):
            if line.startswith(f"{key}:"):
                return number
        return 1

    def check_top_level(self, data):
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                hint = close_match(key, TOP_LEVEL_KEYS)
                self.problem(self.key_line(key), f"unknown front matter key {key!r}{hint}")
        for key in ("title", "description", "occasion"):
            if key in data and not isinstance(data[key], str):
                self.problem(self.key_line(key), f"{key} must be text")
        keywords = data.get("keywords")
        if keywords is not None and not (isinstance(keywords, list) and all(isinstance(k, str) for k in keywords)):
            self.problem(self.key_line("keywords"), "keywords must be a list of words, like [wedding, mum, dad]")

    def read_fields(self, raw_fields):
        if not isinstance(raw_fields, list):
            self.problem(self.key_line("fields"), "fields must be a list, each item starting with '- name:'")
            return []
        specs, seen = [], set()
        for raw in raw_fields:
            spec = self.read_field(raw)
            if spec and spec.name in seen:
                self.problem(raw.line, f"field {spec.name!r} is declared twice")
            elif spec:
                seen.add(spec.name)
                specs.append(spec)
        return specs

    def read_field(self, raw):
        """Return a FieldSpec for one `- name: ...` entry, or None if it is unusable."""
        if not isinstance(raw, LineDict):
            self.problem(self.key_line("fields"), "each field must be a mapping like '- name: memory'")
            return None
        before = len(self.problems)
        for key in raw:
            if key not in FIELD_KEYS:
                hint = close_match(key, FIELD_KEYS)
                self.problem(raw.line_of(key), f"field {raw.get('name')!r}: unknown key {key!r}{hint}")
        name = raw.get("name")
        if (reason := name_problem(name)) is not None:
            self.problem(raw.line_of("name"), reason)
        kind = raw.get("type", "string")
        if not isinstance(kind, str) or kind not in FIELD_TYPES:
            known = ", ".join(FIELD_TYPES)
            self.problem(raw.line_of("type"), f"field {name!r}: unknown type {kind!r}; use one of {known}")
        if len(self.problems) > before:
            return None
        return self.build_spec(raw, name, kind)

    def build_spec(self, raw, name, kind):
        before = len(self.problems)
        choices = self.read_choices(raw, name, kind)
        numbers = {key: raw.get(key) for key in ("min", "max", "max_length")}
        for key, value in numbers.items():
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                self.problem(raw.line_of(key), f"field {name!r}: {key} must be a whole number")
        if (numbers["min"] is not None or numbers["max"] is not None) and kind != "integer":
            self.problem(raw.line, f"field {name!r}: min and max apply only to integer fields")
        if numbers["max_length"] is not None and kind not in ("string", "text"):
            self.problem(raw.line, f"field {name!r}: max_length applies only to string and text fields")
        if "required" in raw and not isinstance(raw["required"], bool):
            self.problem(raw.line_of("required"), f"field {name!r}: required must be true or false")
        default = self.read_default(raw, name, kind, choices)
        if len(self.problems) > before:
            return None
        return FieldSpec(
            name=name, label=str(raw.get("label") or name.replace("_", " ").capitalize()), type=kind,
            required=bool(raw.get("required", False)), default=default, help=str(raw.get("help") or ""),
            placeholder=str(raw.get("placeholder") or ""), choices=choices, line=raw.line + 1, **numbers,
        )

    def read_choices(self, raw, name, kind):
        choices = raw.get("choices")
        if kind != "choice":
            if choices is not None:
                self.problem(raw.line_of("choices"), f"field {name!r}: choices apply only to choice fields")
            return ()
        if not isinstance(choices, list) or not choices:
            self.problem(raw.line_of("choices"), f"field {name!r}: a choice field needs a list of choices")
            return ()
        pairs = []
        for choice in choices:
            if isinstance(choice, dict) and "value" in choice:
                pairs.append((str(choice["value"]), str(choice.get("label", choice["value"]))))
            elif isinstance(choice, (str, int, float)) and not isinstance(choice, bool):
                pairs.append((str(choice), str(choice).replace("_", " ").capitalize()))
            else:
                self.problem(raw.line, f"field {name!r}: each choice is a word or {{value: ..., label: ...}}")
                return ()
        if len({value for value, _ in pairs}) != len(pairs):
            self.problem(raw.line, f"field {name!r}: two choices have the same value")
        return tuple(pairs)

    def read_default(self, raw, name, kind, choices):
        default = raw.get("default")
        if default is None:
            return None
        message = FIELD_TYPES[kind].default_problem(default, choices)
        if message:
            self.problem(raw.line_of("default"), f"field {name!r}: default {default!r} {message}")
            return None
        return FIELD_TYPES[kind].from_value(default)

    def check_defaults(self, defaults, fields):
        line = self.key_line("defaults")
        if not isinstance(defaults, dict):
            self.problem(line, "defaults must be a mapping like 'closing: \"With love,\"'")
            return
        specs = {**BUILT_IN_FIELDS, **{spec.name: spec for spec in fields}}
        for key, value in defaults.items():
            line = defaults.line_of(key) if isinstance(defaults, LineDict) else line
            if key not in specs:
                self.problem(line, f"defaults: {key!r} is not a field{close_match(key, specs)}")
            elif (message := FIELD_TYPES[specs[key].type].default_problem(value, specs[key].choices)) is not None:
                self.problem(line, defaults_message(specs[key], value, message))


def defaults_message(spec, value, message):
    """Return the problem with a value under `defaults:`, naming the choices a choice field has."""
    if spec.type == "choice":
        return f"defaults: unknown {spec.name} {value!r}; choose one of {', '.join(v for v, _ in spec.choices)}"
    return f"defaults: {spec.name} {value!r} {message}"


def close_match(word, candidates):
    """Return a 'did you mean' hint, or an empty string."""
    matches = difflib.get_close_matches(str(word), list(candidates), n=1)
    return f"; did you mean {matches[0]!r}?" if matches else ""


FORBIDDEN_NODES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


def check_body(filename, ast, fields, names):
    """Return the problems of a parsed body reading `names`: unknown names, unsafe access, includes, unused fields."""
    declared = set(BUILT_IN_FIELDS) | {spec.name for spec in fields}
    undeclared = set(names) - declared
    problems = []
    for node in ast.find_all(nodes.Name):
        if node.ctx == "load" and node.name in undeclared:
            hint = close_match(node.name, declared) or "; declare it under fields:"
            problems.append(Problem(filename, node.lineno, f"{node.name!r} is not a field of this template{hint}"))
            undeclared.discard(node.name)  # once per name, at its first use
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        attribute = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", "")
        if isinstance(attribute, str) and attribute.startswith("_"):
            message = f"unsafe attribute {attribute!r}: letters may not reach into Python objects"
            problems.append(Problem(filename, node.lineno, message))
    for node in ast.find_all(nodes.Filter):
        argument = node.args[0] if node.args else None
        safe = isinstance(argument, nodes.Const) and not str(argument.value).startswith("_")
        if node.name == "attr" and not safe:
            message = "unsafe filter 'attr': letters may not reach into Python objects"
            problems.append(Problem(filename, node.lineno, message))
    for node in ast.find_all(nodes.Call):
        if isinstance(node.node, nodes.Getattr) and node.node.attr in ("format", "format_map"):
            message = f"'.{node.node.attr}()' is not allowed in letters; join text with ~ instead"
            problems.append(Problem(filename, node.lineno, message))
    for node in ast.find_all(FORBIDDEN_NODES):
        problems.append(Problem(filename, node.lineno, "a letter cannot include, import or extend other files"))
    problems += [Problem(filename, line, message) for line, message in constant_refusals(ast)]
    used = {node.name for node in ast.find_all(nodes.Name)}
    for spec in fields:
        if spec.name not in used:
            problems.append(Problem(filename, spec.line, f"field {spec.name!r} is declared but never used", "warning"))
    return sorted(problems, key=lambda p: p.line)
