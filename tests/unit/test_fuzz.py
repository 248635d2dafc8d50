"""Generated bad input: portfolios and scenario files end in a result or a clear error
(a ``WorkbenchError``), never a crash."""

from __future__ import annotations

import math
import tempfile
from dataclasses import replace
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.files.portfolios import load_portfolio
from workbench.files.scenarios import PortfolioRef, load_scenario
from workbench.planning.runs import Session

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SCHEMES = ["industrial-bank", "icbc-stars", "postal-savings", "branch-layers"]

HEADERS = st.sampled_from(
    [
        "customer_id",
        "客户号",
        "aum",
        "月日均资产",
        "月日均资产(万元)",
        "household_id",
        "家庭号",
        "annual_income",
        "credit_card",
        "branch",
        "",
        "Unnamed: 3",
        "合计",
        "备注",
        "aum ",
    ]
)
CELLS = st.one_of(
    st.sampled_from(
        ["", " ", "0", "-1", "1e400", "nan", "NaN", "inf", "1,234.5", "¥5万", "是", "否", "合计"]
    ),
    st.integers(min_value=-(10**12), max_value=10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=8),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])
DELIMITERS = st.sampled_from([",", "\t", ";", "|"])


def _quoted(cell: str, delimiter: str) -> str:
    if any(ch in cell for ch in (delimiter, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def delimited_text(draw) -> tuple[str, str, str]:
    delimiter = draw(DELIMITERS)
    headers = draw(st.lists(HEADERS, min_size=1, max_size=6))
    if draw(st.integers(0, 4)):  # mostly a file with a customer key, so that values get read
        headers.insert(draw(st.integers(0, len(headers))), draw(st.sampled_from(["customer_id", "客户号"])))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(headers) + 1), max_size=12))
    title = draw(st.lists(st.text(max_size=10), max_size=2))
    lines = [
        *title,
        delimiter.join(headers),
        *(delimiter.join(_quoted(c, delimiter) for c in r) for r in rows),
    ]
    return "\n".join(lines) + "\n", draw(ENCODINGS), draw(st.sampled_from([".csv", ".txt", ".xls", ".tsv"]))


def simulate_file(registry, path: Path, scheme: str) -> None:
    """Load and simulate; only a WorkbenchError may come out, and figures are finite."""
    session = Session(registry)
    try:
        portfolio = load_portfolio(path)
        engine = session.engine(registry.scheme(scheme), portfolio)
        result = engine.simulate()
    except WorkbenchError as exc:
        assert str(exc)
        return
    assert int(result.counts.sum()) == portfolio.rows
    assert math.isfinite(result.total_benefit_cost)


@FUZZ
@given(content=delimited_text(), scheme=st.sampled_from(SCHEMES))
def test_generated_text_portfolios(registry, content, scheme):
    text, encoding, suffix = content
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        try:
            path.write_text(text, encoding=encoding)
        except UnicodeEncodeError:
            path.write_text(text, encoding="utf-8")
        simulate_file(registry, path, scheme)


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".parquet", ".dat"]))
def test_arbitrary_bytes(registry, data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        path.write_bytes(data)
        simulate_file(registry, path, "industrial-bank")


TOML_VALUES = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(min_value=-(10**9), max_value=10**12),
        st.floats(allow_nan=True),
        st.text(max_size=12),
        st.sampled_from([*SCHEMES, "mean", "sum", "true", "card", "none"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
PARAMETER_NAMES = st.sampled_from(
    [
        "gold_personal",
        "platinum_personal",
        "black_gold_personal",
        "w_aum",
        "card_points",
        "diamond_balance",
        "x",
    ]
)


@st.composite
def scenario_documents(draw) -> dict:
    doc: dict = {}
    # Mostly well-formed at the top, so that the mistakes further in get reached.
    if draw(st.booleans()):
        doc["format_version"] = draw(st.sampled_from([1, 1, 1, 1, 1, 0, 2, "1"]))
    doc["scheme"] = draw(st.sampled_from(SCHEMES)) if draw(st.integers(0, 9)) else draw(TOML_VALUES)
    if draw(st.booleans()):
        doc["parameters"] = draw(
            st.one_of(
                st.dictionaries(
                    PARAMETER_NAMES,
                    st.one_of(st.integers(-10, 5_000_000), st.floats(allow_nan=True), TOML_VALUES),
                    max_size=4,
                ),
                TOML_VALUES,
            )
        )
    if draw(st.booleans()):
        doc["options"] = draw(
            st.one_of(
                st.dictionaries(st.sampled_from(["household_basis", "card", "y"]), TOML_VALUES), TOML_VALUES
            )
        )
    if draw(st.booleans()):
        doc["costs"] = draw(
            st.dictionaries(
                st.sampled_from(["golf", "airport", "gift", "relationship_manager"]),
                st.one_of(
                    st.dictionaries(st.sampled_from(["uptake", "unit_cost", "tiers", "z"]), TOML_VALUES),
                    TOML_VALUES,
                ),
                max_size=2,
            )
        )
    if draw(st.booleans()):
        doc["portfolio"] = draw(
            st.one_of(
                st.fixed_dictionaries({"sample": st.fixed_dictionaries({"rows": st.integers(-5, 300)})}),
                st.fixed_dictionaries({"path": st.text(max_size=10)}),
                TOML_VALUES,
            )
        )
    if not draw(st.integers(0, 4)):
        doc[draw(st.sampled_from(["name", "notes", "baseline", "extra"]))] = draw(TOML_VALUES)
    return doc


@FUZZ
@given(doc=scenario_documents())
def test_generated_scenario_files(registry, doc):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "what-if.toml"
        try:
            path.write_text(tomli_w.dumps(doc), encoding="utf-8")
        except (TypeError, ValueError):  # not representable in TOML at all
            return
        session = Session(registry)
        try:
            scenario = load_scenario(path)
            if scenario.portfolio.is_sample:
                scenario = replace(
                    scenario, portfolio=PortfolioRef(sample_rows=min(scenario.portfolio.sample_rows, 300))
                )
            run = session.run(scenario)
        except WorkbenchError as exc:
            assert str(exc)
            return
        assert math.isfinite(run.result.total_benefit_cost)


@FUZZ
@given(text=st.text(max_size=200))
def test_arbitrary_text_as_a_scenario(registry, text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "what-if.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            scenario = load_scenario(path)
            scenario = replace(scenario, portfolio=PortfolioRef(sample_rows=100))
            Session(registry).run(scenario)
        except WorkbenchError as exc:
            assert str(exc)
