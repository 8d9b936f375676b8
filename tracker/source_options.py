"""Source options as typed dataclasses. Each kind declares its class beside its reader
(spiders/<kind>.py, the reader's `options_class`), so a default is written once, a misspelt key
in a sources file is an error instead of an option silently ignored, and the README's table of
options is generated from the same declarations.
"""

from __future__ import annotations

import difflib
import re
import reprlib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Annotated, Any


class OptionError(ValueError):
    """A source's options are unusable; the message names the option."""


def _short_repr() -> reprlib.Repr:
    bounded = reprlib.Repr()
    bounded.maxstring = bounded.maxother = 60
    bounded.maxlist = bounded.maxdict = 4
    bounded.maxlevel = 2
    return bounded


SHORT = _short_repr()


def short(value: object) -> str:
    """A bounded repr for messages: never print a structure the file may have blown up."""
    return SHORT.repr(value)


# ------------------------------------------------------------------ value types
def _no_problem(key: str, value: Any) -> None:
    return None


@dataclass(frozen=True)
class ValueType:
    """What an option's YAML value must be: `what` (said by messages and the README), the shape
    it must have, and what can still be wrong with a value of that shape (range, syntax)."""

    what: str
    accepts: Callable[[object], bool]
    problem: Callable[[str, Any], str | None] = _no_problem


def is_text(value: object) -> bool:
    return isinstance(value, str)


def is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_texts(value: object) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


def positive_problem(key: str, value: int) -> str | None:
    return None if value >= 1 else f"{key} must be a positive integer"


def regex_problem(key: str, value: str) -> str | None:
    try:
        re.compile(value)
    except re.error as exc:
        return f"{key} is not a valid regular expression: {exc}"
    return None


def selector_problem(key: str, value: str) -> str | None:
    from tracker.extract.listing import ListingError, check_selector  # parsel: load when used

    try:
        check_selector(value)
    except ListingError as exc:
        return f"{key}: {exc}"
    return None


# Annotations of option fields. A plain Python type means what PLAIN_TYPES says of it.
PositiveInt = Annotated[int, ValueType("an integer >= 1", is_integer, positive_problem)]


def up_to(highest: int) -> Any:
    """An integer from 1 to `highest` (an API's own cap)."""
    def problem(key: str, value: int) -> str | None:
        return positive_problem(key, value) or (
            f"{key} must be at most {highest}" if value > highest else None)
    return Annotated[int, ValueType(f"an integer from 1 to {highest}", is_integer, problem)]
Regex = Annotated[str, ValueType("a regular expression", is_text, regex_problem)]
Selector = Annotated[str, ValueType("a CSS selector", is_text, selector_problem)]
Slugs = Annotated[tuple[str, ...], ValueType("a list of slugs", is_texts)]
Texts = tuple[str, ...]

PLAIN_TYPES = {
    str: ValueType("a string", is_text),
    bool: ValueType("true or false", lambda value: isinstance(value, bool)),
    int: ValueType("an integer", is_integer),
    Texts: ValueType("a list of strings", is_texts),
}


def value_type(annotation: Any) -> tuple[ValueType, bool]:
    """The ValueType of a field's annotation, and whether `| None` lets the value be null."""
    nullable = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kept = [a for a in typing.get_args(annotation) if a is not types.NoneType]
        nullable = len(kept) < len(typing.get_args(annotation))
        annotation = kept[0]
    if typing.get_origin(annotation) is Annotated:
        return annotation.__metadata__[0], nullable
    return PLAIN_TYPES[annotation], nullable


def option(default: Any, does: str) -> Any:
    """A dataclass field with its default and the one line the README says about it."""
    return field(default=default, metadata={"help": does})


# ------------------------------------------------------------------ the common options
@dataclass(frozen=True)
class SourceOptions:
    """Options every kind accepts; each kind's class (spiders/<kind>.py) adds its own."""

    terms: str | None = option(None, "the site's robots/terms posture as we read it, "
                                     "for the record (not read by the crawler)")

    def problem(self, url: str) -> str | None:
        """Why these values cannot work together, or with this url; None when they can."""
        return None


def option_types(cls: type[SourceOptions]) -> dict[str, tuple[ValueType, bool]]:
    """option name -> (its ValueType, whether it may be null), in declaration order."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return {f.name: value_type(hints[f.name]) for f in fields(cls)}


def unknown_option_problem(kind: str, key: object, known: list[str]) -> str:
    """A key the kind does not read: a typo, most often, so the nearest known key is named."""
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(sorted(known))}"
    return f"unknown option {short(key)} for a {kind} source ({hint})"


def typed_value(key: str, value: object, expected: tuple[ValueType, bool]) -> object:
    """The YAML value as the field holds it (a list becomes a tuple: options are frozen)."""
    value_kind, nullable = expected
    if value is None and nullable:
        return None
    if not value_kind.accepts(value):
        raise OptionError(f"{key} must be {value_kind.what}, not {short(value)}")
    return tuple(value) if isinstance(value, list) else value


def build_options(cls: type[SourceOptions], kind: str, url: str,
                  raw: dict) -> SourceOptions:
    """A source entry's options as its kind's dataclass; OptionError names what is wrong."""
    expected = option_types(cls)
    values = {}
    for key, value in raw.items():
        if key not in expected:
            raise OptionError(unknown_option_problem(kind, key, list(expected)))
        values[key] = typed_value(key, value, expected[key])
    options = cls(**values)
    problem = values_problem(options, expected) or options.problem(url)
    if problem:
        raise OptionError(problem)
    return options


def values_problem(options: SourceOptions,
                   expected: dict[str, tuple[ValueType, bool]]) -> str | None:
    """The first value out of its type's range or syntax (a regex that does not compile)."""
    for key, (value_kind, _) in expected.items():
        value = getattr(options, key)
        problem = None if value is None else value_kind.problem(key, value)
        if problem:
            return problem
    return None


# ------------------------------------------------------------------ the README table
def _yaml_default(value: object) -> str:
    """A default as it would be written in the sources file; nothing for none."""
    if value is None or value == ():
        return ""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, tuple):
        return f"`[{', '.join(value)}]`"
    return f"`{value}`"


def markdown_rows(label: str, cls: type[SourceOptions],
                  inherited: type[SourceOptions] | None = None) -> list[str]:
    """Rows (kind, option, value, default, help) of the options `cls` adds to `inherited`."""
    skipped = {f.name for f in fields(inherited)} if inherited else set()
    types_ = option_types(cls)
    return [f"| {label} | `{f.name}` | {types_[f.name][0].what} | {_yaml_default(f.default)} "
            f"| {f.metadata['help']} |" for f in fields(cls) if f.name not in skipped]
