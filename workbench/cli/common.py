"""What every command shares: the scenario from the arguments, output, and the words of
the command line (flag names in messages, the column-mapping hint)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from workbench.core.engine import Engine
from workbench.core.settings import Settings
from workbench.errors import UnmappedColumns, WorkbenchError
from workbench.files import privacy
from workbench.files.atomic import atomic_write_text
from workbench.files.sample import DEFAULT_ROWS, DEFAULT_SEED, check_sample
from workbench.files.scenarios import PortfolioRef, Scenario, load_scenario
from workbench.fmt import parse_number
from workbench.planning.runs import Run, Session, portfolio_notes
from workbench.present.disclosure import MIN_CELL
from workbench.scale.choose import book_rows, memory_fit
from workbench.scale.cluster import ClusterSpec
from workbench.scheme.registry import Registry
from workbench.scheme.scheme_files import peek_id
from workbench.text import Lang, Text

# The command line's name for each input a library error may name (``WorkbenchError.field``).
FLAGS = {
    "steps": "--steps",
    "range": "--from/--to",
    "param": "--param",
    "target": "--target",
    "vary": "--vary",
    "budget": "--budget",
    "output": "--output",
    "cluster": "--cluster",
    "workers": "--workers",
}


# How the command line settles what a file leaves open (``WorkbenchError.settle``).
SETTLE = {
    "unit": " with --unit (or [portfolio] unit in the scenario), e.g. --unit 万元",
    "decimal": " with --decimal . or --decimal , (or [portfolio] decimal in the scenario)",
    "portfolio": " (to read a portfolio, give it with --portfolio FILE)",
}


class UsageError(WorkbenchError):
    """A command-line argument is wrong (exit status 2)."""


def mapping_hint(suggested: Mapping[str, str]) -> str:
    """How to apply suggested mappings, on the command line and in a scenario."""
    if not suggested:
        return ""
    pairs = list(suggested.items())
    guesses = ", ".join(f"{h!r} -> {c}" for h, c in pairs)
    flags = " ".join(f"--map '{h}={c}'" for h, c in pairs)
    toml = "; ".join(f'"{h}" = "{c}"' for h, c in pairs)
    return f"; perhaps {guesses}: pass {flags}, or add {toml} to the scenario's [portfolio.columns]"


def error_text(exc: WorkbenchError, lang: Lang = "en") -> str:
    """A library error in the command line's words (in ``--lang``, where the message has
    both): the flag named, the mapping hint added."""
    if isinstance(exc, UnmappedColumns):
        hint = mapping_hint(exc.suggested)
        if not hint and exc.unrecognised and exc.missing != ["customer_id"]:
            hint = " (map them in the scenario's [portfolio.columns] or with --map)"
        return exc.base + hint + "".join(f"; {note}" for note in exc.notes)
    text = exc.in_lang(lang) + SETTLE.get(exc.settle or "", "")
    flag = FLAGS.get(exc.field or "")
    if flag is None:
        return text
    return f"{flag} {text}" if exc.value else f"{flag}: {text}"


def pairs(items: Sequence[str] | None, flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{flag} {item!r}: expected NAME=VALUE")
        out[key.strip()] = value.strip()
    return out


def parameter_values(items: Sequence[str] | None) -> dict[str, float]:
    out = {}
    for key, value in pairs(items, "--set").items():
        try:
            out[key] = parse_number(value)
        except ValueError:
            raise UsageError(f"--set {key}={value}: expected a number such as 300000, 300k or 30万") from None
    return out


def portfolio_override(args: argparse.Namespace) -> PortfolioRef | None:
    """The portfolio the arguments name (``--portfolio`` or ``--sample-rows/--sample-seed``)."""
    mapping = pairs(getattr(args, "map", None), "--map")
    if args.portfolio:
        return PortfolioRef(
            path=str(resolved(args.portfolio)),
            sheet=args.sheet,
            columns=mapping,
            unit=getattr(args, "unit", None),
            decimal=getattr(args, "decimal", None),
        )
    if args.sample_rows is not None or args.sample_seed is not None:
        rows = args.sample_rows if args.sample_rows is not None else DEFAULT_ROWS
        seed = args.sample_seed if args.sample_seed is not None else DEFAULT_SEED
        try:
            check_sample(rows, seed, where="")
        except WorkbenchError as exc:
            text = str(exc).replace(" rows:", "--sample-rows:", 1).replace(" seed:", "--sample-seed:", 1)
            raise UsageError(text.strip()) from None
        return PortfolioRef(sample_rows=rows, sample_seed=seed)
    return None


def scenario_and_changes(args: argparse.Namespace) -> tuple[Scenario, dict[str, float], dict[str, str]]:
    """The scenario (a file as written, or a new one) and the --set / --option changes to it."""
    if getattr(args, "scenario", None):
        scenario = load_scenario(args.scenario)
        if args.scheme and args.scheme != scenario.scheme:
            raise UsageError(
                f"--scheme {args.scheme} differs from the scenario's scheme {scenario.scheme!r}; "
                "give a scenario or --scheme, not both"
            )
    else:
        scenario = Scenario(scheme=args.scheme or "industrial-bank")
    scheme_file = getattr(args, "scheme_file", None)
    if scheme_file:
        path = resolved(scheme_file)
        file_id = peek_id(path)
        if args.scheme and args.scheme != file_id:
            raise UsageError(
                f"--scheme {args.scheme} differs from --scheme-file {scheme_file}, which declares {file_id!r}"
            )
        scenario = replace(scenario, scheme=file_id, scheme_file=str(path))
    override = portfolio_override(args)
    if override is not None:
        scenario = replace(scenario, portfolio=override)
    else:
        mapping = pairs(getattr(args, "map", None), "--map")
        ref = scenario.portfolio
        if mapping:
            ref = replace(ref, columns={**ref.columns, **mapping})
        for key in ("unit", "decimal"):
            if getattr(args, key, None):
                ref = replace(ref, **{key: getattr(args, key)})
        scenario = replace(scenario, portfolio=ref)
    return scenario, parameter_values(args.set), pairs(args.option, "--option")


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """The scenario given (if any) with the command line's changes applied."""
    scenario, params, options = scenario_and_changes(args)
    return replace(
        scenario,
        parameters={**scenario.parameters, **params},
        options={**scenario.options, **options},
    )


def engine_and_settings(
    args: argparse.Namespace, registry: Registry
) -> tuple[Session, Scenario, Engine, Settings]:
    """The scenario of the arguments, its engine on its portfolio, and its checked settings;
    notes on how the portfolio was read go to stderr."""
    session = Session(registry)
    scenario = scenario_from_args(args)
    portfolio = session.portfolio(scenario.portfolio, scenario.base_dir)
    scheme = registry.scheme(scenario.scheme, scenario.where, scenario.scheme_file_path())
    engine = session.engine(scheme, session.fitted(portfolio, scenario, scheme))
    settings = session.settings(scenario, scheme)
    for note in portfolio_notes(engine.portfolio, scheme, engine.defaulted):
        print(f"note: {note}", file=sys.stderr)
    return session, scenario, engine, settings


def stdout() -> TextIO:
    """Standard output, or an error when it is closed (nothing would be written)."""
    if sys.stdout is None:
        raise WorkbenchError("standard output is closed, so nothing can be printed; give --output FILE")
    return sys.stdout


def emit(text: str, output: str | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output and output != "-":
        atomic_write_text(output, text if text.endswith("\n") else text + "\n")
    else:
        stdout().write(text if text.endswith("\n") else text + "\n")


def print_notes(run: Run, lang: Lang = "en") -> None:
    """How the portfolio was read, on standard error, in the language asked for."""
    for note in run.notes:
        print(f"{'注' if lang == 'zh' else 'note'}: {note.get(lang)}", file=sys.stderr)


def output_format(args: argparse.Namespace, formats: dict[str, str]) -> str | None:
    """The report type of --output, checked against --format when both are given."""
    if not args.output:
        return None
    suffix = Path(args.output).suffix.lower()
    if suffix not in formats:
        raise UsageError(
            f"--output {args.output}: unsupported type {suffix or '(none)'}; use one of " + ", ".join(formats)
        )
    if args.format and formats[suffix] != args.format and args.format != "table":
        raise UsageError(f"--format {args.format} does not match --output {args.output}")
    return suffix


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def inputs_of(scenarios: Sequence[Scenario]) -> list[tuple[str, Path]]:
    """The files a command reads for these scenarios: each scenario, its baseline, its
    portfolio."""
    found: list[tuple[str, Path]] = []
    for scenario in scenarios:
        if scenario.path is not None:
            found.append(("scenario", scenario.path))
        baseline = scenario.baseline_path()
        if baseline is not None:
            found.append(("baseline scenario", baseline))
        if not scenario.portfolio.is_sample:
            found.append(("portfolio", scenario.portfolio.resolve(scenario.base_dir)))
    return found


def refuse_overwriting_inputs(output: str | None, inputs: Sequence[tuple[str, Path]]) -> None:
    """An ``--output`` that is a file the same command reads would destroy it: refused."""
    if not output or output == "-":
        return
    target = resolved(output)
    for kind, path in inputs:
        if _same_file(target, path) or target == resolved(str(path)):
            raise UsageError(
                f"--output {output}: is the {kind} this command reads ({path}); write to another file"
            )


def interactive() -> bool:
    """A person at a terminal, or at a browser tab of ``workbench serve`` (textual-serve
    runs each tab's workbench with Textual's web driver)."""
    served = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")
    return served or (sys.stdin.isatty() and sys.stdout.isatty())


def portfolio_reading_arguments(p: argparse.ArgumentParser) -> None:
    """How to read amounts a file leaves open."""
    p.add_argument(
        "--unit",
        metavar="UNIT",
        help="unit of amounts whose header or title states none: 元, 千元, 万元, 亿元, 'thousand CNY'",
    )
    p.add_argument(
        "--decimal", metavar="MARK", help="decimal mark when the file does not tell: . (point) or , (comma)"
    )


def min_cell_argument(p: argparse.ArgumentParser, applies: str) -> None:
    p.add_argument(
        "--min-cell",
        type=int,
        default=MIN_CELL,
        metavar="N",
        help=f"in {applies}, suppress money built from fewer than N customers (default {MIN_CELL}; "
        "1: every figure exact); see docs/input.md",
    )


def min_cell_of(args: argparse.Namespace) -> int | None:
    if args.min_cell < 1:
        raise UsageError(f"--min-cell: expected 1 or more, found {args.min_cell}")
    return None if args.min_cell == 1 else args.min_cell


def mask_arguments(p: argparse.ArgumentParser, aliases: tuple[str, ...] = ()) -> None:
    """``--mask-ids`` and the key that makes masked ids line up between reports."""
    p.add_argument(
        "--mask-ids",
        *aliases,
        dest="mask_ids",
        action="store_true",
        help="mask customer and household ids (m-3f2a...: keyed, not reversible) in the output",
    )
    p.add_argument(
        "--mask-key",
        metavar="SECRET",
        help=f"the key for --mask-ids (default ${privacy.KEY_ENV}, else a new one each run)",
    )


def apply_mask_key(args: argparse.Namespace) -> None:
    """Use the key the user gave for every id masked in this run."""
    privacy.use_key(getattr(args, "mask_key", None))


def resolved(text: str) -> Path:
    """A path the user typed, made absolute; a symbolic link loop is named, not a crash."""
    try:
        return Path(text).expanduser().resolve()
    except (RuntimeError, OSError):
        raise UsageError(f"{text}: a symbolic link that points back at itself (a loop)") from None


def scenario_arguments(p: argparse.ArgumentParser, positional: bool = True) -> None:
    """The arguments that say which scenario, scheme, portfolio and changes."""
    if positional:
        p.add_argument("scenario", nargs="?", help="a scenario TOML file")
    p.add_argument("--scheme", help="scheme id (see `workbench schemes`)")
    p.add_argument(
        "--scheme-file",
        metavar="FILE",
        help="a scheme file (TOML, docs/scheme-files.md); wins over an installed scheme with its id",
    )
    p.add_argument(
        "--portfolio",
        metavar="FILE",
        help="portfolio file: .csv, .xlsx or .parquet (default: the built-in sample)",
    )
    p.add_argument("--sheet", help="sheet name of an .xlsx portfolio (default: the one with the table)")
    portfolio_reading_arguments(p)
    p.add_argument(
        "--map",
        action="append",
        metavar="HEADER=COLUMN",
        help="map a file header to a canonical column (repeatable)",
    )
    p.add_argument("--sample-rows", type=int, metavar="N", help="size of the built-in sample")
    p.add_argument("--sample-seed", type=int, metavar="S", help="seed of the built-in sample")
    p.add_argument(
        "--set",
        action="append",
        metavar="PARAM=VALUE",
        help="set a parameter, e.g. platinum_personal=500k (repeatable)",
    )
    p.add_argument(
        "--option",
        action="append",
        metavar="NAME=VALUE",
        help="set an option, e.g. household_basis=sum (repeatable)",
    )
    p.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of labels and money in tables"
    )


def engine_arguments(p: argparse.ArgumentParser) -> None:
    """Where a batch command runs: in memory or on a Dask cluster (docs/scale-out.md)."""
    g = p.add_argument_group("where it runs (docs/scale-out.md)")
    g.add_argument(
        "--engine",
        choices=("auto", "memory", "dask"),
        default="auto",
        help="memory: this process; dask: a Dask cluster, part by part, exact; auto (default): memory "
        "when the portfolio fits comfortably, else a local cluster (said on stderr)",
    )
    g.add_argument(
        "--cluster",
        default="local",
        metavar="local|tcp://HOST:8786",
        help="local (default): start a Dask LocalCluster for the run; or a running scheduler's address",
    )
    g.add_argument(
        "--workers", type=int, metavar="N", help="worker processes of a local cluster (default: one per core)"
    )
    g.add_argument(
        "--memory-limit",
        metavar="SIZE",
        help="memory per worker of a local cluster, e.g. 4GB (default: an equal share)",
    )


def sayer(lang: Lang) -> Callable[[Text], None]:
    """Prints a note on standard error in ``lang``."""

    def say(text: Text) -> None:
        print(f"{'注' if lang == 'zh' else 'note'}: {text.get(lang)}", file=sys.stderr)

    return say


def cluster_for(args: argparse.Namespace, ref: PortfolioRef, base_dir: Path | None) -> ClusterSpec | None:
    """The cluster a command runs on (None: in memory), chosen by ``--engine``; ``auto``
    says on stderr when the portfolio is too big for memory and a local cluster runs it."""
    spec = ClusterSpec(args.cluster, args.workers, args.memory_limit)
    if args.engine == "memory":
        return None
    if ref.is_sample:
        if args.engine == "dask":
            raise UsageError(
                "--engine dask reads a dataset; the built-in sample lives in memory (write it as a dataset "
                "with: workbench sample --parts K --output FOLDER)",
                zh="--engine dask 读取数据集;内置样例在内存中"
                "(可用 workbench sample --parts K --output 文件夹 写成数据集)",
            )
        return None
    if args.engine == "dask" or not spec.local:
        return spec
    try:
        rows = book_rows(ref.resolve(base_dir))
    except WorkbenchError:  # a damaged file: the reader says what is wrong with it
        return None
    if rows is None:
        return None
    fit = memory_fit(rows)
    if fit.fits:
        return None
    sayer(args.lang)(
        Text(
            f"{fit.describe()}: running on a local Dask cluster (--engine memory to try anyway)",
            f"{fit.describe_zh()}:改在本机 Dask 集群上运行(加 --engine memory 可强行在内存中运行)",
        )
    )
    return spec
