"""Load and check a review's ``config/config.yaml``.

The YAML is read with a safe loader that also refuses duplicate keys (a
second ``stages:`` silently replacing the first is a classic). A syntax error
names the file, line and column. The schema check names the key and what is
expected; further checks tie the parts together (a stage's reviewers exist,
a table's fields are in the coding scheme...).

This module is imported by the Snakefile at parse time, so it stays light:
no pandas.
"""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import ReviewError, ReviewErrors

CONFIG_PATH = Path("config/config.yaml")


# libyaml's parser when PyYAML has it (about ten times faster); the same safe constructors either way
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictSafeLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A safe loader that refuses duplicate keys."""


def _construct_mapping(loader: _StrictSafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                f"while reading a mapping (first '{key}' on line {seen[key] + 1})",
                node.start_mark,
                f"found the key '{key}' a second time",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)  # type: ignore[no-untyped-call]


_StrictSafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: str | Path) -> Any:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ReviewError(
            "the review's configuration file is missing",
            file=path,
            fix="a review folder needs config/config.yaml; copy the demo's and edit it",
        ) from None
    try:
        return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise ReviewError(
            f"not valid YAML: {problem}" + (f" (column {mark.column + 1})" if mark else ""),
            file=path,
            line=line,
            fix="fix the YAML at that line (indentation, a missing ':' or quote, a repeated key)",
        ) from None
    except yaml.YAMLError as error:
        raise ReviewError(f"not valid YAML: {error}", file=path) from None


def schema_path() -> Path:
    return Path(str(resources.files("reviewflow").joinpath("schemas/config.schema.yaml")))


def load_schema() -> dict[str, Any]:
    schema = load_yaml(schema_path())
    assert isinstance(schema, dict)
    return schema


def _key_path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def schema_errors(config: Any, schema: dict[str, Any], file: str | Path) -> list[ReviewError]:
    """Every schema violation, each naming the key and what is expected."""
    import jsonschema

    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema)
    errors = []
    for error in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path))):
        expected = error.schema.get("description") if isinstance(error.schema, dict) else None
        message = f"key '{_key_path(error.absolute_path)}': {error.message}"
        errors.append(ReviewError(message, file=file, fix=f"expected: {expected}" if expected else None))
    return errors


def apply_defaults(config: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Fill schema defaults into a copy of the config (objects and arrays of objects)."""
    defs = schema.get("$defs", {})

    def resolve(sub: dict[str, Any]) -> dict[str, Any]:
        ref = sub.get("$ref", "")
        return defs[ref.rsplit("/", 1)[-1]] if ref.startswith("#/$defs/") else sub

    def fill(value: Any, sub: dict[str, Any]) -> Any:
        sub = resolve(sub)
        if isinstance(value, dict) and sub.get("type") == "object":
            for key, prop in sub.get("properties", {}).items():
                prop = resolve(prop)
                if key not in value and "default" in prop:
                    value[key] = copy.deepcopy(prop["default"])
                if key in value:
                    value[key] = fill(value[key], prop)
            extra = sub.get("additionalProperties")
            if isinstance(extra, dict):
                for key in value:
                    if key not in sub.get("properties", {}):
                        value[key] = fill(value[key], extra)
        elif isinstance(value, list) and isinstance(sub.get("items"), dict):
            value = [fill(item, sub["items"]) for item in value]
        return value

    return fill(copy.deepcopy(config), schema)  # type: ignore[no-any-return]


def consistency_errors(config: dict[str, Any], file: str | Path) -> list[ReviewError]:
    """Checks a schema cannot express: names that must refer to each other."""
    errors: list[ReviewError] = []
    reviewers = set(config["reviewers"])
    if "adjudication" in reviewers:
        errors.append(ReviewError("key 'reviewers.adjudication': 'adjudication' names the file that settles conflicts, "
                                  "not a reviewer", file=file, fix="give the reviewer another code"))
    names = [stage["name"] for stage in config["stages"]]
    for index, stage in enumerate(config["stages"]):
        key = f"stages[{index}]"
        if names.count(stage["name"]) > 1:
            errors.append(ReviewError(f"key '{key}.name': the stage name '{stage['name']}' is used twice", file=file))
        for reviewer in stage["reviewers"]:
            if reviewer not in reviewers:
                errors.append(
                    ReviewError(
                        f"key '{key}.reviewers': '{reviewer}' is not one of the reviewers {sorted(reviewers)}",
                        file=file,
                        fix="add the reviewer under 'reviewers:' or correct the code",
                    )
                )
        adjudicator = stage.get("adjudicator")
        if adjudicator and adjudicator not in reviewers:
            errors.append(ReviewError(f"key '{key}.adjudicator': '{adjudicator}' is not one of the reviewers", file=file))
        if stage.get("assignment", {}).get("mode") in ("dual", "sample") and len(stage["reviewers"]) < 2:
            errors.append(
                ReviewError(f"key '{key}.assignment.mode': dual or sample screening needs at least two reviewers", file=file)
            )
        if stage.get("stopping") and stage.get("full_text"):
            errors.append(ReviewError(f"key '{key}.stopping': a stopping rule is for prioritised title/abstract screening; "
                                      "at a full-text stage every report is assessed", file=file,
                                      fix="move 'stopping:' to a title or abstract stage"))
        folded = [r.casefold() for r in stage["reviewers"]]
        for reviewer in sorted({r for r in stage["reviewers"] if folded.count(r.casefold()) > 1}):
            errors.append(ReviewError(f"key '{key}.reviewers': '{reviewer}' differs from another reviewer only in capitals, "
                                      "and their decision files would be one file on Windows and macOS", file=file))
    spellings: dict[str, tuple[str, str]] = {}
    for word, decision in config.get("decisions", {}).get("synonyms", {}).items():
        folded_word = " ".join(str(word).split()).lower()
        if folded_word in spellings and spellings[folded_word][1] != decision:
            errors.append(ReviewError(f"key 'decisions.synonyms': '{word}' and '{spellings[folded_word][0]}' are the same "
                                      f"spelling (capitals and spaces do not count) but mean {decision} and "
                                      f"{spellings[folded_word][1]}", file=file))
        spellings[folded_word] = (str(word), decision)
    codes = [c["code"] for group in ("inclusion", "exclusion") for c in config["criteria"].get(group, [])]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        errors.append(ReviewError(f"key 'criteria': the code '{code}' is used twice", file=file))
    fields = {f["name"]: f for f in config["evidence_log"]["fields"]}
    for index, table in enumerate(config.get("tables", [])):
        for axis in ("rows", "columns"):
            if axis in table and table[axis]["field"] not in fields:
                errors.append(
                    ReviewError(
                        f"key 'tables[{index}].{axis}.field': '{table[axis]['field']}' is not a field of the evidence log",
                        file=file,
                        fix=f"use one of {sorted(fields)}",
                    )
                )
    tables = {t["name"] for t in config.get("tables", [])}
    for index, figure in enumerate(config.get("report", {}).get("figures", [])):
        if figure["table"] not in tables:
            errors.append(
                ReviewError(f"key 'report.figures[{index}].table': no table is named '{figure['table']}'", file=file)
            )
    return errors


def check_config(config: Any, file: str | Path = CONFIG_PATH) -> dict[str, Any]:
    """Validate a loaded config and return it with the schema's defaults filled in."""
    schema = load_schema()
    if not isinstance(config, dict):
        raise ReviewError("the configuration must be a YAML mapping (key: value)", file=file)
    errors = schema_errors(config, schema, file)
    if errors:
        raise ReviewErrors(errors, f"{file} does not match the configuration schema")
    config = apply_defaults(config, schema)
    errors = consistency_errors(config, file)
    if errors:
        raise ReviewErrors(errors, f"{file} is inconsistent")
    return config


def load_config(path: str | Path = CONFIG_PATH) -> dict[str, Any]:
    return check_config(load_yaml(path), path)
