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
#: The top-level keys every config has (the schema's ``required``).
REQUIRED_KEYS = ("review", "questions", "reviewers", "stages", "criteria", "evidence_log")
#: Characters a name written to PRISMA.csv's "Name, n; Name, n" fields cannot hold: the PRISMA2020
#: app splits the field at every ';' and ends a name at its first ','.
PRISMA_NAME_SEPARATORS = (";", ",")


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
            fix="a review folder needs config/config.yaml; start a new review with `reviewflow init REVIEW_DIR`",
        ) from None
    except IsADirectoryError:
        raise ReviewError("this is a folder, not the configuration file", file=path,
                          fix="config/config.yaml must be a YAML file; move the folder away") from None
    except PermissionError:
        raise ReviewError("the configuration file cannot be read (permission denied)", file=path,
                          fix="give yourself read permission on it (chmod u+r)") from None
    except UnicodeDecodeError as error:
        raise ReviewError(f"the configuration file is not UTF-8 text (byte {error.start})", file=path,
                          fix="save it as UTF-8 (any text editor can)") from None
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise ReviewError(
            "the configuration file is empty",
            file=path,
            line=1,
            fix=f"a config needs the keys {', '.join(REQUIRED_KEYS)}; copy the demo's config/config.yaml and edit it",
        )
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
    errors += prisma_name_errors(config, file)
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
    return errors + version_errors(config, file)


def version_errors(config: dict[str, Any], file: str | Path) -> list[ReviewError]:
    """Published counts keyed by version must match what the config marks (see versions.py)."""
    errors = []
    marker, key = config["review"].get("previous_version") or {}, "review.previous_version"
    while marker.get("previous_version"):
        inner = marker["previous_version"]
        if "last_round" in marker and "last_round" in inner and inner["last_round"] >= marker["last_round"]:
            errors.append(ReviewError(f"key '{key}.previous_version.last_round': {inner['last_round']} is not before "
                                      f"{marker['last_round']}, the last round of the version it preceded", file=file,
                                      fix="an earlier version covers fewer rounds: give the last round it covered"))
        marker, key = inner, key + ".previous_version"
    expected = config.get("expected_counts") or {}
    keyed = any(isinstance(v, dict) for v in expected.values())
    if keyed and expected.get("previous") and not config["review"].get("previous_version"):
        return errors + [ReviewError("key 'expected_counts.previous': published counts of a previous version, but the config "
                            "marks no previous version", file=file,
                            fix="mark it under review.previous_version (last_round: N or ledger: FILE), or put the counts "
                                "under expected_counts.current")]
    return errors


def check_config(config: Any, file: str | Path = CONFIG_PATH) -> dict[str, Any]:
    """Validate a loaded config and return it with the schema's defaults filled in."""
    schema = load_schema()
    if config is None:
        raise ReviewError("the configuration file is empty", file=file, line=1,
                          fix=f"a config needs the keys {', '.join(REQUIRED_KEYS)}; copy the demo's config/config.yaml and edit it")
    if not isinstance(config, dict):
        raise ReviewError("the configuration must be a YAML mapping (key: value)", file=file, line=1,
                          fix=f"write the keys {', '.join(REQUIRED_KEYS)} at the top level, each followed by ':'")
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


def prisma_name_problem(name: str) -> str:
    """Why a name cannot be written to PRISMA.csv's "Name, n; Name, n" fields ("" when it can)."""
    found = [f"'{c}'" for c in PRISMA_NAME_SEPARATORS if c in name]
    if found:
        return (f"it holds {' and '.join(found)}, which PRISMA.csv's \"Reason, n; Reason, n\" fields cannot carry "
                "(the PRISMA2020 app splits them at every ';' and ends a name at its first ',')")
    if name != name.strip():
        return "it starts or ends with spaces, which PRISMA.csv's \"Reason, n; Reason, n\" fields do not keep"
    if name[:1] in ("=", "+", "-", "@"):
        return (f"it starts with '{name[0]}': PRISMA.csv is written exactly for the PRISMA2020 app, and a spreadsheet "
                "would run the field as a formula")
    return ""


def prisma_name_errors(config: dict[str, Any], file: str | Path) -> list[ReviewError]:
    """Exclusion reasons (the label, else the text) written to PRISMA.csv must come back exactly."""
    errors = []
    for index, criterion in enumerate(config["criteria"].get("exclusion", [])):
        key = "label" if criterion.get("label") else "text"
        problem = prisma_name_problem(str(criterion.get(key, "")))
        if problem:
            parts = ["criteria", "exclusion", index, key]
            fix = ("write the label without them, e.g. with ' - ' or ' / '" if key == "label"
                   else "add a short 'label:' without them (the text stays as written; the label goes to the flow diagram)")
            errors.append(ReviewError(f"key '{_key_path(parts)}': {problem}", file=file, line=key_line(file, parts), fix=fix))
    return errors


def key_line(file: str | Path, parts: list[Any]) -> int | None:
    """The line of a key (a path of names and list indices) in a YAML file; None when not found."""
    try:
        node = yaml.compose(Path(file).read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    line = None
    for part in parts:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                return line
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
