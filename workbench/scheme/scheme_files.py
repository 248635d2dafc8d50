"""Loading scheme files: from a path, from the schemes folder, with every problem at once.

A file is read as TOML data (``workbench.scheme.declared``), then validated
exactly like a plugin's scheme (``workbench.scheme.validation``). Every
problem is reported together, each with the file, the TOML line where it can
be found, the table and key, and what was expected.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

from workbench.errors import SchemeError
from workbench.scheme.declared import read_scheme
from workbench.scheme.drivers import CostDriver
from workbench.scheme.file_reader import Problem, Problems
from workbench.scheme.model import Scheme
from workbench.scheme.validation import validate_scheme
from workbench.text import Text

SCHEMES_ENV = "WORKBENCH_SCHEMES"
MAX_SCHEME_BYTES = 2 << 20


class SchemeFileError(SchemeError):
    """A scheme file with problems; ``problems`` lists each as ``file:line: key: message``,
    in both languages."""

    def __init__(self, path: Path, problems: list[Text]) -> None:
        self.path = path
        self.problems = problems
        count = len(problems)
        head = Text(
            f"{path}: {count} problem{'s' if count != 1 else ''} in the scheme file:",
            f"{path}:方案文件有 {count} 处问题:",
        )
        super().__init__(
            Text(
                head.en + "".join(f"\n  {p.en}" for p in problems),
                head.zh + "".join(f"\n  {p.zh or p.en}" for p in problems),
            )
        )


def scheme_folder() -> Path | None:
    """Where scheme files are found: ``$WORKBENCH_SCHEMES``, else ``schemes/`` in the
    working directory, else the user's config folder (``~/.config/workbench/schemes``)."""
    env = os.environ.get(SCHEMES_ENV)
    if env:
        return Path(env).expanduser()
    here = Path.cwd() / "schemes"
    if here.is_dir():
        return here
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "workbench" / "schemes"


def folder_files(folder: Path | None) -> list[Path]:
    """The ``*.toml`` files of a schemes folder, by name (none when it does not exist)."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def read_data(path: Path) -> tuple[dict[str, object], str]:
    """A scheme file's TOML data and its text; an unreadable file is a ``SchemeFileError``."""
    try:
        if path.stat().st_size > MAX_SCHEME_BYTES:
            size = MAX_SCHEME_BYTES >> 20
            raise SchemeFileError(
                path,
                [
                    Text(
                        f"{path}: larger than {size} MB; not a scheme file",
                        f"{path}: 大于 {size} MB,不是方案文件",
                    )
                ],
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SchemeError(f"{path}: no such scheme file", zh=f"{path}:没有这个方案文件") from None
    except IsADirectoryError:
        raise SchemeError(
            f"{path}: is a folder, not a scheme file", zh=f"{path}:是文件夹,不是方案文件"
        ) from None
    except OSError as exc:
        raise SchemeError(f"{path}: cannot be read ({exc.strerror})", zh=f"{path}:无法读取") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemeFileError(
            path,
            [
                Text(
                    f"{path}: byte {exc.start}: not UTF-8 text (save the file as UTF-8)",
                    f"{path}: 第 {exc.start} 字节:不是 UTF-8 文本(请将文件另存为 UTF-8)",
                )
            ],
        ) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise SchemeFileError(
            path, [Text(f"{path}: not valid TOML: {exc}", f"{path}: 不是有效的 TOML:{exc}")]
        ) from None
    except RecursionError:
        raise SchemeFileError(
            path,
            [Text(f"{path}: nested too deeply to be a scheme file", f"{path}: 嵌套过深,不是方案文件")],
        ) from None


def is_scheme_file(path: Path) -> bool:
    """Whether a TOML file is a scheme file (tiers or ``extends``, no ``scheme`` key) rather
    than a scenario."""
    try:
        data, _ = read_data(path)
    except SchemeError:
        return False
    return ("tiers" in data or "extends" in data) and "scheme" not in data and "scheme_file" not in data


def peek_id(path: Path) -> str:
    """The ``id`` a scheme file declares (for a scenario that names only the file)."""
    data, _ = read_data(path)
    scheme_id = data.get("id")
    if not isinstance(scheme_id, str):
        raise SchemeFileError(
            path,
            [
                Text(
                    f"{path}: missing key 'id' (the scheme id, e.g. \"city-bank-wealth\")",
                    f"{path}: 缺少键 'id'(方案 id,如 \"city-bank-wealth\")",
                )
            ],
        )
    return scheme_id


def load_scheme_file(
    path: Path,
    parent: Callable[[str], Scheme | None],
    drivers: Mapping[str, CostDriver],
    known: Callable[[], list[str]] = list,
) -> Scheme:
    """The scheme a file declares, validated; ``parent(id)`` gives the scheme ``extends``
    names (None when there is none; ``known()`` lists what there is)."""
    data, text = read_data(path)
    problems = Problems()

    def base(parent_id: str) -> Scheme | None:
        try:
            found = parent(parent_id)
        except SchemeError as exc:
            problems.add("extends", exc.text)
            return None
        if found is None:
            installed = ", ".join(known())
            problems.add(
                "extends",
                Text(
                    f"no installed scheme {parent_id!r}; installed: {installed or 'none'}",
                    f"没有已安装的方案 {parent_id!r};已安装:{installed or '无'}",
                ),
            )
        return found

    scheme = read_scheme(data, base, problems)
    messages = [_where(path, text, p) for p in problems.items]
    if scheme is not None:
        messages += [
            _where(path, text, Problem(subject_key(text, m.en), m)) for m in validate_scheme(scheme, drivers)
        ]
    if messages:
        raise SchemeFileError(path, list(dict.fromkeys(messages)))
    assert scheme is not None
    return scheme


# -- lines ----------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[")
_PART = re.compile(r"([A-Za-z0-9_\-]+)((?:\[\d+\])*)")


def _where(path: Path, text: str, problem: Problem) -> Text:
    line = locate(text, problem.key)
    at = f"{path}:{line}" if line else str(path)
    key = f" {_shown_key(problem.key)}:" if problem.key else ""
    said = problem.message
    return Text(f"{at}:{key} {said.en}", f"{at}:{key} {said.zh or said.en}")


def _shown_key(key: str) -> str:
    """``tiers[2].any[0]`` as a reader finds it: ``[[tiers]] #3 any[0]``."""
    m = re.match(r"^(tiers|floors|overrides)\[(\d+)\]\.?(.*)$", key)
    if m:
        rest = f" {m.group(3)}" if m.group(3) else ""
        return f"[[{m.group(1)}]] #{int(m.group(2)) + 1}{rest}"
    head, _, rest = key.partition(".")
    for table in ("columns", "metrics", "parameters", "options", "groups", "benefits"):
        if head == table and rest:
            name, _, key_rest = rest.partition(".")
            return f"[{table}.{name}]" + (f" {key_rest}" if key_rest else "")
    return key


def locate(text: str, key: str) -> int | None:
    """The 1-based TOML line of a key path (``tiers[2].any[0].metric``), where it can be
    found: the array-of-tables entry or table, then the last key named within it."""
    if not key:
        return None
    lines = text.splitlines()
    parts = key.split(".")
    first = _PART.fullmatch(parts[0])
    if first is None:
        return None
    name, indexes = first.group(1), [int(i) for i in re.findall(r"\d+", first.group(2))]
    start = None
    if indexes:  # an array of tables: the Nth [[name]]
        seen = -1
        for i, line in enumerate(lines):
            if re.match(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]", line):
                seen += 1
                if seen == indexes[0]:
                    start = i
                    break
    elif len(parts) > 1:
        table = f"{name}.{parts[1].split('[')[0]}"
        for i, line in enumerate(lines):
            if re.match(rf"^\s*\[\s*{re.escape(table)}\s*[\].]", line):
                start = i
                break
        if start is None:  # written inline under [name]: `id = { ... }`
            start = _key_line(lines, 0, parts[1].split("[")[0])
    else:
        return _key_line(lines, 0, name, top=True)
    if start is None:
        return None
    rest = [p.split("[")[0] for p in parts[2 if not indexes else 1 :]]
    for wanted in reversed(rest):
        found = _key_line(lines, start, wanted)
        if found is not None:
            return found
    return start + 1


def _key_line(lines: list[str], start: int, name: str, top: bool = False) -> int | None:
    """The first line at or after ``start`` (before the next table when ``start`` is a
    header) that sets ``name``."""
    pattern = re.compile(rf"(^|[\s{{,])\"?{re.escape(name)}\"?\s*=")
    for i in range(start, len(lines)):
        if i > start and _HEADER.match(lines[i]) and not top:
            return None
        if top and _HEADER.match(lines[i]):
            return None
        if pattern.search(lines[i]):
            return i + 1
    return None


_SUBJECT = re.compile(r"^(tier|parameter|metric|option|benefit|column|group) '([^']+)'")


def subject_key(text: str, message: str) -> str:
    """The key path a validation message is about (``tier 'gold' ...`` -> ``tiers[1]``)."""
    m = _SUBJECT.match(message)
    if m is None:
        for top in ("main_metric", "aum_measure", "explain", "base_tier_column"):
            if message.startswith(top):
                return top
        first = re.match(r"^([a-z][a-z0-9_]*) = ", message)  # a threshold that does not rise
        if first and re.search(rf"(?m)^\s*\[\s*parameters\.{first.group(1)}\s*\]", text):
            return f"parameters.{first.group(1)}"
        return ""
    kind, name = m.groups()
    if kind == "tier":
        entries = re.split(r"(?m)^\s*\[\[\s*tiers\s*\]\]", text)[1:]
        for i, entry in enumerate(entries):
            if re.search(rf"(?m)^\s*id\s*=\s*[\"']{re.escape(name)}[\"']", entry):
                return f"tiers[{i}]"
        return ""
    table = {"parameter": "parameters", "metric": "metrics", "option": "options"}.get(kind, kind + "s")
    field = re.search(r"has no field '([^']+)'", message)
    return f"{table}.{name}" + (f".{field.group(1)}" if field else "")
