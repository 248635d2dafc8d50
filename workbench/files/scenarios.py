"""Scenario files: a scheme, its parameter values, options, cost assumptions,
notes and the portfolio they apply to, as TOML (``docs/scenarios.md``).

Scenario files are data: they are parsed, never executed. Saves are atomic.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from workbench.errors import ScenarioError, did_you_mean, number_kind
from workbench.files.atomic import atomic_write_text
from workbench.files.reading import SUFFIXES, regular_file
from workbench.files.sample import DEFAULT_ROWS, DEFAULT_SEED, check_sample
from workbench.scheme.scheme_files import peek_id

FORMAT_VERSION = 1
MAX_SCENARIO_BYTES = 10 << 20
TOP_LEVEL_KEYS = (
    "format_version",
    "name",
    "notes",
    "scheme",
    "scheme_file",
    "baseline",
    "options",
    "parameters",
    "costs",
    "portfolio",
    "policy",
)
PORTFOLIO_KEYS = ("path", "sheet", "sample", "columns", "unit", "decimal")
SAMPLE_KEYS = ("rows", "seed")


def user_path(text: str) -> Path:
    """A path as a user wrote it, ``~`` expanded where there is a home to expand to
    (``~nobody/x`` with no such user stays as written, and is then not found)."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        return Path(text)


@dataclass(frozen=True)
class PortfolioRef:
    """Where a scenario's customers come from: a file or the built-in sample.

    ``path`` is kept as written: relative paths are relative to the scenario
    file. ``columns`` maps the file's headers to canonical columns; ``unit`` and
    ``decimal`` say how to read amounts the file leaves open (``docs/input.md``).
    """

    path: str | None = None
    sheet: str | int | None = None
    sample_rows: int = DEFAULT_ROWS
    sample_seed: int = DEFAULT_SEED
    columns: dict[str, str] = field(default_factory=dict)
    unit: str | None = None  # the unit of amounts that state none (万元), when the file does not say
    decimal: str | None = None  # the decimal mark ("." or ","), when the file does not tell

    @property
    def is_sample(self) -> bool:
        return self.path is None

    def resolve(self, base_dir: Path | None) -> Path:
        """The file's path, relative ones resolved against ``base_dir``."""
        assert self.path is not None
        p = user_path(self.path)
        return p if p.is_absolute() or base_dir is None else Path(os.path.normpath(base_dir / p))

    def to_toml(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.path is None:
            out["sample"] = {"rows": self.sample_rows, "seed": self.sample_seed}
        else:
            out["path"] = self.path
            if self.sheet is not None:
                out["sheet"] = self.sheet
        if self.unit:
            out["unit"] = self.unit
        if self.decimal:
            out["decimal"] = self.decimal
        if self.columns:
            out["columns"] = dict(self.columns)
        return out


@dataclass(frozen=True)
class Scenario:
    """A what-if: one scheme with its settings. ``path`` is where it was read.

    Frozen: a changed scenario is a new one (``dataclasses.replace``)."""

    scheme: str
    name: str = ""
    notes: str = ""
    parameters: dict[str, float] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    costs: dict[str, Any] = field(default_factory=dict)
    portfolio: PortfolioRef = field(default_factory=PortfolioRef)
    baseline: str | None = None
    path: Path | None = None
    scheme_file: str | None = None  # a scheme file, relative to the scenario's folder
    policy: dict[str, Any] = field(default_factory=dict)  # evaluation-policy keys (docs/replay.md)

    def scheme_file_path(self) -> Path | None:
        """The scheme file the scenario uses, if any, as a path."""
        if not self.scheme_file:
            return None
        p = user_path(self.scheme_file)
        return p if p.is_absolute() or self.base_dir is None else self.base_dir / p

    @property
    def base_dir(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def where(self) -> str:
        """How messages name the scenario: its file, else its name."""
        return str(self.path) if self.path else self.display_name

    @property
    def display_name(self) -> str:
        return self.name or (self.path.stem if self.path else self.scheme)

    def baseline_path(self) -> Path | None:
        if not self.baseline:
            return None
        p = user_path(self.baseline)
        return p if p.is_absolute() or self.base_dir is None else self.base_dir / p

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format_version": FORMAT_VERSION}
        if self.name:
            out["name"] = self.name
        if self.notes:
            out["notes"] = self.notes
        out["scheme"] = self.scheme
        if self.scheme_file:
            out["scheme_file"] = self.scheme_file
        if self.baseline:
            out["baseline"] = self.baseline
        out["portfolio"] = self.portfolio.to_toml()
        if self.options:
            out["options"] = dict(self.options)
        if self.parameters:
            out["parameters"] = {k: _plain_number(v) for k, v in self.parameters.items()}
        if self.costs:
            out["costs"] = _plain(self.costs)
        if self.policy:
            out["policy"] = _plain(self.policy)
        return out

    def to_toml(self) -> str:
        return tomli_w.dumps(self.to_dict(), multiline_strings=True)


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return _plain_number(value)
    return value


def _expect(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        raise ScenarioError(
            f"{where}: expected {what}, found {value!r}",
            zh=f"{where}:应为{_WHAT_ZH.get(what, what)},实为 {value!r}",
        )
    return value


_WHAT_ZH = {
    "a table": "表(table)",
    "text": "文本",
    "a scheme id (text)": "方案 id(文本)",
    "a file path": "文件路径",
    "a number": "数字",
    "true or false": "true 或 false",
    "a whole number": "整数",
}


def _unknown(keys: Mapping[str, Any], valid: tuple[str, ...], where: str) -> None:
    for key in keys:
        if key not in valid:
            raise ScenarioError(
                f"{where}: unknown key {key!r}{did_you_mean(key, valid)}; valid keys: {', '.join(valid)}",
                zh=f"{where}:未知的键 {key!r};可用的键:{', '.join(valid)}",
            )


def scenario_from_dict(data: Mapping[str, Any], where: str, path: Path | None = None) -> Scenario:
    """A ``Scenario`` from parsed TOML, checking structure and types.

    Names of parameters, options and benefits are checked against the scheme
    later (``workbench.planning.runs``), where the scheme is known.
    """
    _unknown(data, TOP_LEVEL_KEYS, where)
    version = data.get("format_version", FORMAT_VERSION)
    _expect(version, int, f"{where}: format_version", "a whole number")
    if version > FORMAT_VERSION:
        raise ScenarioError(
            f"{where}: format_version {version} was written by a newer Tiering Workbench; this one "
            f"reads up to {FORMAT_VERSION}: upgrade to open it",
            zh=f"{where}:format_version {version} 由更新版本的工作台写出;"
            f"本版本最多读取 {FORMAT_VERSION}:请升级后打开",
        )
    if version < 1:
        raise ScenarioError(
            f"{where}: format_version must be 1 or more, found {version}",
            zh=f"{where}:format_version 至少为 1,实为 {version}",
        )
    scheme_file = data.get("scheme_file")
    if scheme_file is not None:
        _expect(scheme_file, str, f"{where}: scheme_file", "a path to a scheme file")
    if "scheme" not in data and scheme_file is None:
        raise ScenarioError(
            f"{where}: missing key 'scheme' (the scheme id, e.g. \"industrial-bank\")",
            zh=f"{where}:缺少键 'scheme'(方案 id,如 \"industrial-bank\")",
        )
    if "scheme" in data:
        scheme = _expect(data["scheme"], str, f"{where}: scheme", "a scheme id (text)")
    else:  # the scheme file says which
        file = user_path(str(scheme_file))
        scheme = peek_id(file if file.is_absolute() or path is None else path.parent / file)
    name = _expect(data.get("name", ""), str, f"{where}: name", "text")
    notes = _expect(data.get("notes", ""), str, f"{where}: notes", "text")
    baseline = data.get("baseline")
    if baseline is not None:
        _expect(baseline, str, f"{where}: baseline", "a path to another scenario file")
    params = _expect(data.get("parameters", {}), dict, f"{where}: [parameters]", "a table")
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            expected = number_kind(value)
            raise ScenarioError(
                f"{where}: [parameters] {key}: expected {expected}, found {value!r}",
                zh=f"{where}:[parameters] {key}:应为数字,实为 {value!r}",
            )
    options = _expect(data.get("options", {}), dict, f"{where}: [options]", "a table")
    for key, value in options.items():
        _expect(value, str, f"{where}: [options] {key}", "text")
    costs = _expect(data.get("costs", {}), dict, f"{where}: [costs]", "a table")
    for key, value in costs.items():
        _expect(value, dict, f"{where}: [costs.{key}]", "a table of assumptions")
    portfolio = _portfolio_ref(data.get("portfolio", {}), where)
    policy = _expect(data.get("policy", {}), dict, f"{where}: [policy]", "a table")
    return Scenario(
        policy=dict(policy),
        scheme=scheme,
        name=name,
        notes=notes,
        parameters={k: float(v) for k, v in params.items()},
        options=dict(options),
        costs=dict(costs),
        portfolio=portfolio,
        baseline=baseline,
        path=path,
        scheme_file=scheme_file,
    )


def _portfolio_ref(data: Any, where: str) -> PortfolioRef:
    _expect(data, dict, f"{where}: [portfolio]", "a table")
    _unknown(data, PORTFOLIO_KEYS, f"{where}: [portfolio]")
    if "path" in data and "sample" in data:
        raise ScenarioError(
            f"{where}: [portfolio] has both 'path' and 'sample'; keep one",
            zh=f"{where}:[portfolio] 同时有 'path' 和 'sample';请只保留一个",
        )
    fields: dict[str, Any] = {}
    if "path" in data:
        fields["path"] = _expect(data["path"], str, f"{where}: [portfolio] path", "a file path")
    if "sheet" in data:
        fields["sheet"] = _expect(
            data["sheet"], (str, int), f"{where}: [portfolio] sheet", "a sheet name or number"
        )
    if "sample" in data:
        sample = _expect(data["sample"], dict, f"{where}: [portfolio.sample]", "a table with rows and seed")
        _unknown(sample, SAMPLE_KEYS, f"{where}: [portfolio.sample]")
        rows = _expect(
            sample.get("rows", DEFAULT_ROWS), int, f"{where}: [portfolio.sample] rows", "a whole number"
        )
        seed = _expect(
            sample.get("seed", DEFAULT_SEED), int, f"{where}: [portfolio.sample] seed", "a whole number"
        )
        fields["sample_rows"], fields["sample_seed"] = check_sample(
            rows, seed, f"{where}: [portfolio.sample]"
        )
    for key in ("unit", "decimal"):
        if key in data:
            fields[key] = _expect(data[key], str, f"{where}: [portfolio] {key}", "text")
    columns = _expect(
        data.get("columns", {}), dict, f"{where}: [portfolio.columns]", "a table of header = column"
    )
    for key, value in columns.items():
        _expect(value, str, f"{where}: [portfolio.columns] {key!r}", "a canonical column name")
    return PortfolioRef(**fields, columns=dict(columns))


def parse_scenario(text: str, where: str = "scenario", path: Path | None = None) -> Scenario:
    """Parse TOML text; syntax errors name the line and column."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{where}: not valid TOML: {exc}", zh=f"{where}:不是有效的 TOML:{exc}") from exc
    except RecursionError:
        raise ScenarioError(
            f"{where}: tables or arrays nested too deeply to be a scenario",
            zh=f"{where}:嵌套过深,不是情景文件",
        ) from None
    return scenario_from_dict(data, where, path)


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file."""
    path = Path(path)
    regular_file(path, "scenario file", "a scenario file (.toml)", ScenarioError)
    if path.suffix.lower() in SUFFIXES:
        raise ScenarioError(
            f"{path}: a portfolio file ({path.suffix}), not a scenario; a scenario is a .toml file",
            settle="portfolio",
            zh=f"{path}:这是客户数据文件({path.suffix}),不是情景;情景是 .toml 文件",
        )
    if path.stat().st_size > MAX_SCENARIO_BYTES:
        size = f"{path.stat().st_size:,}"
        raise ScenarioError(
            f"{path}: {size} bytes is too large to be a scenario file",
            zh=f"{path}:{size} 字节,太大,不是情景文件",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text ({exc})", zh=f"{path}:不是 UTF-8 文本({exc})") from exc
    except OSError as exc:
        raise ScenarioError(
            f"{path}: cannot be read ({exc.strerror})", zh=f"{path}:无法读取({exc.strerror})"
        ) from exc
    return parse_scenario(text, str(path), path.resolve())


def rebased(scenario: Scenario, target: Path | None) -> Scenario:
    """The scenario with its relative portfolio, baseline and scheme-file paths rewritten to
    point at the same files from ``target``'s folder (absolute when ``target`` is None)."""

    def moved(source: Path) -> str:
        if target is None:
            return str(source.resolve())
        return Path(os.path.relpath(source.resolve(), target.resolve().parent)).as_posix()

    changes: dict[str, Any] = {}
    if scenario.portfolio.path is not None and not user_path(scenario.portfolio.path).is_absolute():
        source = scenario.portfolio.resolve(scenario.base_dir)
        changes["portfolio"] = replace(scenario.portfolio, path=moved(source))
    if scenario.baseline and not user_path(scenario.baseline).is_absolute():
        baseline = scenario.baseline_path()
        if baseline is not None:
            changes["baseline"] = moved(baseline)
    rules = scenario.scheme_file_path()
    if rules is not None and not user_path(str(scenario.scheme_file)).is_absolute():
        changes["scheme_file"] = moved(rules)
    elif rules is not None and target is not None and rules.resolve().is_relative_to(target.resolve().parent):
        # beside or below the scenario: written relative to it, so the two move together
        changes["scheme_file"] = moved(rules)
    return replace(scenario, **changes)


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write a scenario atomically. Relative portfolio and baseline paths are
    rewritten so they still point at the same files from the new location."""
    path = Path(path)
    atomic_write_text(path, rebased(scenario, path).to_toml())
    return path
