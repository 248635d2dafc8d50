"""Recognising a file's headers as canonical columns: aliases, units, suggestions.

A header matches a column when, lower-cased and without units and
separators, it is the column's name, one of its aliases or its Chinese
description; an explicit mapping wins. Headers nobody recognised are
compared with the columns still missing, to suggest a mapping.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from workbench.errors import PortfolioError
from workbench.files.reading import HeaderScore
from workbench.scheme.model import Column

_WAN = re.compile(r"[（(]\s*万元?\s*[)）]|万元")
_UNIT = re.compile(r"[（(][^)）]*[)）]")
_SEPARATORS = re.compile(r"[\s_\-./:：]+")
SUGGEST_FROM = 0.6  # how alike a header and a column's name must be to be suggested


def normalize_header(header: str) -> str:
    """A header reduced for matching: lower case, no units, no separators."""
    text = _UNIT.sub("", str(header).replace("\ufeff", ""))
    return _SEPARATORS.sub("", text).lower()


def header_scale(header: str) -> float:
    """10,000 when a header says its values are in 万 (wan), else 1."""
    return 10_000.0 if _WAN.search(str(header)) else 1.0


def alias_index(columns: Iterable[Column]) -> dict[str, str]:
    """Normalized alias -> canonical name, for the given columns."""
    index: dict[str, str] = {}
    for col in columns:
        for alias in (col.name, *col.aliases, col.description.zh):
            index.setdefault(normalize_header(alias), col.name)
    return index


def recogniser(
    columns: Mapping[str, Column], explicit: Mapping[str, str] | None = None
) -> Callable[[str], str | None]:
    """Header -> canonical column (or None): an explicit mapping wins over aliases."""
    index = alias_index(columns.values())
    explicit = dict(explicit or {})

    def recognise(header: str) -> str | None:
        if header in explicit:
            return explicit[header]
        return index.get(normalize_header(header))

    return recognise


def map_headers(
    headers: Iterable[str],
    columns: Mapping[str, Column],
    explicit: Mapping[str, str] | None = None,
    where: str = "portfolio",
) -> tuple[dict[str, str], list[str]]:
    """Source header -> canonical column, and the headers left unrecognised.

    An explicit mapping wins over aliases; two headers for one column is an
    error naming both.
    """
    explicit = dict(explicit or {})
    for source, target in explicit.items():
        if target not in columns:
            raise PortfolioError(
                f"{where}: column mapping {source!r} -> {target!r}: {target!r} is not a known "
                f"column; known columns: {', '.join(columns)}",
                zh=f"{where}:列映射 {source!r} -> {target!r}:没有列 {target!r};可用的列:{', '.join(columns)}",
            )
    headers = [str(h) for h in headers]
    for source in explicit:
        if source not in headers:
            raise PortfolioError(
                f"{where}: column mapping names {source!r}, which is not a header of the file; "
                f"headers: {', '.join(headers)}",
                zh=f"{where}:列映射中的 {source!r} 不是文件的表头;表头:{', '.join(headers)}",
            )
    recognise = recogniser(columns, explicit)
    mapping: dict[str, str] = {}
    unrecognised: list[str] = []
    for header in headers:
        found = recognise(header)
        if found is None:
            unrecognised.append(header)
            continue
        target = found
        clash = next((h for h, c in mapping.items() if c == target), None)
        if clash is not None:
            raise PortfolioError(
                f"{where}: headers {clash!r} and {header!r} both map to column {target!r}; "
                f"name one explicitly in the scenario's [portfolio.columns]",
                zh=f"{where}:表头 {clash!r} 和 {header!r} 都对应到列 {target!r};"
                "请在情景的 [portfolio.columns] 中明确指定其一",
            )
        mapping[header] = target
    return mapping, unrecognised


def header_score(columns: Mapping[str, Column], mapping: Mapping[str, str] | None = None) -> HeaderScore:
    """How much a row of cells looks like a portfolio's header: the customer key counts
    most, then every other recognised column."""
    recognise = recogniser(columns, mapping)

    def score(cells: Sequence[str]) -> int:
        found = {recognise(c) for c in cells if c}
        found.discard(None)
        return len(found) + (100 if "customer_id" in found else 0)

    return score


def _likeness(header: str, names: list[str]) -> float:
    """How alike a normalised header is to the closest of a column's normalised names:
    one holding the other counts as alike as the shorter is of the longer."""
    best = 0.0
    for name in names:
        if not name or not header:
            continue
        if name in header or header in name:
            best = max(best, 0.5 + 0.5 * min(len(name), len(header)) / max(len(name), len(header)))
        best = max(best, difflib.SequenceMatcher(None, header, name).ratio())
    return best


def suggest_mapping(missing: list[str], headers: list[str], columns: Mapping[str, Column]) -> dict[str, str]:
    """For columns that were not found, the unused headers most like them
    (header -> column), each header used once, closest pairs first."""
    pairs = []
    for column in missing:
        spec = columns.get(column)
        if spec is None:
            continue
        names = [
            normalize_header(n) for n in (spec.name, *spec.aliases, spec.description.zh, spec.description.en)
        ]
        for header in headers:
            score = _likeness(normalize_header(header), names)
            if score >= SUGGEST_FROM:
                pairs.append((score, header, column))
    suggested: dict[str, str] = {}
    for _, header, column in sorted(pairs, key=lambda p: -p[0]):
        if header not in suggested and column not in suggested.values():
            suggested[header] = column
    return suggested
