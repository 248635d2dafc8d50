"""A Parquet portfolio read in two steps: the scheme's columns first, the rest after."""

import pandas as pd
import pytest

from workbench.core.engine import Engine, columns_needed
from workbench.errors import PortfolioError
from workbench.files.first_columns import read_first
from workbench.files.panel import load_any

FILE = pd.DataFrame(
    {
        "客户号": ["C001", "C002", "C003", "合计", "C004"],
        "家庭号": ["H1", "H1", "", "", "H2"],
        "日均资产(万元)": [12.0, 5.5, 120.0, 137.5, 0.25],
        "家庭年收入": [300_000.0, 0.0, 1_200_000.0, 1_500_000.0, 80_000.0],
        "指定高端信用卡等级": ["白金卡", "none", "钻石卡", "", "none"],
        "卡消费": [1_000.0, 200.0, 0.0, 1_200.0, 50.0],
        "备注": ["a", "b", "c", "", "d"],  # not a column the workbench knows
    }
)


def written(tmp_path, frame=FILE, name="export.parquet"):
    path = tmp_path / name
    frame.to_parquet(path, index=False)
    return path


def test_two_steps_give_the_portfolio_one_read_gives(registry, tmp_path):
    path = written(tmp_path)
    once = load_any(path)
    first = load_any(path, first=columns_needed(registry.schemes["industrial-bank"]))
    assert list(first.frame.columns) == ["customer_id", "household_id", "aum"]
    assert first.pending == {"household_income", "designated_card_level", "card_spend_6m"}
    assert not first.complete and first.has("card_spend_6m") and not first.missing(["card_spend_6m"])
    # already the same customers, rows and amounts: the totals row left out, 万 converted
    assert first.frame["customer_id"].tolist() == ["C001", "C002", "C003", "C004"]
    assert first.frame["aum"].tolist() == [120_000.0, 55_000.0, 1_200_000.0, 2_500.0]
    assert first.row_numbers.tolist() == [1, 2, 3, 5]
    assert first.mapping == once.mapping and first.headers == once.headers
    assert first.unrecognised == once.unrecognised == ("备注",)
    assert first.finish() and first.complete and not first.finish()
    pd.testing.assert_frame_equal(first.frame, once.frame)
    assert sorted(first.notes, key=str) == sorted(once.notes, key=str)
    assert first.scaled == once.scaled == ("aum",)
    assert first.fingerprint() == once.fingerprint()


def test_households_are_made_with_the_first_columns_when_the_scheme_reads_them(registry, tmp_path):
    path = written(tmp_path)
    first = load_any(path, first=columns_needed(registry.schemes["industrial-bank"]))
    assert first._households is not None  # made while the file's ids were parsed
    assert first.households.codes.tolist() == [0, 0, -1, 1]  # H1, H1, none, H2
    assert first.households.counts.tolist() == [2, 1]
    branch = load_any(path, first=columns_needed(registry.schemes["branch-layers"]))
    assert branch._households is None  # a scheme without households does not pay for them


def test_a_column_left_for_later_is_read_when_asked_for(registry, tmp_path):
    path = written(tmp_path)
    first = load_any(path, first=columns_needed(registry.schemes["branch-layers"]))
    assert "household_income" in first.pending
    assert first.array("household_income").tolist() == [300_000.0, 0.0, 1_200_000.0, 80_000.0]
    assert first.complete
    # a scheme the first columns do not serve reads the rest itself
    other = load_any(path, first=columns_needed(registry.schemes["branch-layers"]))
    engine = Engine(registry.schemes["postal-savings"], other, registry.drivers)
    assert engine.simulate().counts.sum() == 4 and other.complete


def test_a_bad_value_in_a_later_column_is_named_when_the_rest_is_read(registry, tmp_path):
    frame = FILE.assign(卡消费=[1_000.0, -5.0, 0.0, 0.0, 50.0])
    path = written(tmp_path, frame)
    with pytest.raises(PortfolioError) as once:
        load_any(path)
    first = load_any(path, first=columns_needed(registry.schemes["industrial-bank"]))
    assert first.frame["aum"].tolist()[:2] == [120_000.0, 55_000.0]  # its own columns are good
    for _ in range(2):  # asked again, the same answer
        with pytest.raises(PortfolioError) as later:
            first.finish()
        assert str(later.value) == str(once.value)
        assert (
            "export.parquet" in str(later.value)
            and "row 2" in str(later.value)
            and "卡消费" in str(later.value)
        )
    with pytest.raises(PortfolioError):
        first.array("card_spend_6m")
    assert first.array("aum")[0] == 120_000.0 and not first.complete


def test_a_file_the_first_step_cannot_judge_is_read_in_one_go(registry, tmp_path):
    needed = columns_needed(registry.schemes["postal-savings"])
    # no key, and only a column read later says 合计: the one read leaves it out
    frame = FILE.assign(客户号=["C001", "C002", "C003", "", "C004"], 家庭号=["H1", "H1", "", "合计", "H2"])
    path = written(tmp_path, frame)
    assert read_first(path, needed) is None
    portfolio = load_any(path, first=needed)
    assert portfolio.complete and portfolio.frame["customer_id"].tolist() == ["C001", "C002", "C003", "C004"]
    # a text file, and a Parquet file whose scheme reads every column
    csv = tmp_path / "export.csv"
    FILE.to_csv(csv, index=False)
    assert read_first(csv, needed) is None
    assert (
        read_first(
            path, {"household_id", "aum", "household_income", "designated_card_level", "card_spend_6m"}
        )
        is None
    )


def test_a_bad_value_in_a_first_column_is_reported_as_one_read_reports_it(registry, tmp_path):
    frame = FILE.assign(日均资产=["12", "x", "120", "137.5", "0.25"]).drop(columns=["日均资产(万元)"])
    path = written(tmp_path, frame)
    with pytest.raises(PortfolioError) as once:
        load_any(path)
    with pytest.raises(PortfolioError) as two:
        load_any(path, first=columns_needed(registry.schemes["industrial-bank"]))
    assert str(two.value) == str(once.value)


def test_the_workbench_session_reads_the_schemes_columns_first_and_the_rest_on_request(registry, tmp_path):
    from workbench.files.portfolios import write_portfolio
    from workbench.files.sample import sample_portfolio
    from workbench.files.scenarios import PortfolioRef, Scenario
    from workbench.live.session import LiveSession

    path = write_portfolio(sample_portfolio(2_000, 3).frame, tmp_path / "book.parquet")
    live = LiveSession(registry, Scenario(scheme="postal-savings", portfolio=PortfolioRef(path=str(path))))
    portfolio = live.load(live.scenario.portfolio, None, lambda step, rows: None)
    live.adopt(portfolio, live.scenario.portfolio)
    shown = live.compute_view(live.request())
    assert set(portfolio.frame.columns) == {
        "customer_id",
        "aum",
        "designated_card_level",
        "household_income",
        "branch",
    }
    pending = len(portfolio.pending)
    count, notes = live.read_the_rest()
    assert count == pending == 14 and notes == [] and portfolio.complete
    assert live.read_the_rest() is None
    again = live.compute_view(live.request())  # the same figures with every column read
    assert again.result.counts.tolist() == shown.result.counts.tolist()
    whole = Engine(registry.schemes["postal-savings"], load_any(path), registry.drivers).simulate()
    assert shown.result.counts.tolist() == whole.counts.tolist()
    assert (
        shown.result.total_aum == whole.total_aum
        and shown.result.total_benefit_cost == whole.total_benefit_cost
    )


def test_problems_in_several_later_columns_are_said_at_once_as_one_read_says_them(
    registry, tmp_path, monkeypatch
):
    from workbench.files import first_columns

    monkeypatch.setattr(first_columns, "REST_GROUP", 2)  # two columns a group (one by default)
    frame = FILE.assign(卡消费=[1_000.0, -5.0, 0.0, 0.0, 50.0], 家庭年收入=[-1.0, 0.0, 0.0, 0.0, -2.0])
    path = written(tmp_path, frame)
    with pytest.raises(PortfolioError) as once:
        load_any(path)
    first = load_any(path, first=columns_needed(registry.schemes["branch-layers"]))
    with pytest.raises(PortfolioError) as later:
        first.finish()
    assert str(later.value) == str(once.value)
    assert "3 values cannot be used" in str(later.value)
    assert later.value.in_lang("zh") == once.value.in_lang("zh")


def test_amounts_written_as_text_are_read_in_one_go(registry, tmp_path):
    frame = FILE.assign(卡消费=["1,000.5", "200", "0", "1,200.5", "50"])
    path = written(tmp_path, frame)
    assert read_first(path, columns_needed(registry.schemes["branch-layers"])) is None
    assert load_any(path, first=columns_needed(registry.schemes["branch-layers"])).complete


def test_a_header_the_planner_maps_is_read_first_like_any_other(registry, tmp_path):
    from workbench.errors import UnmappedColumns
    from workbench.files.portfolios import check_columns

    frame = FILE.rename(columns={"日均资产(万元)": "资产余额X"})
    path = written(tmp_path, frame)
    scheme = registry.schemes["industrial-bank"]
    unmapped = load_any(path, first=columns_needed(scheme))
    with pytest.raises(UnmappedColumns) as missing:
        check_columns(scheme, unmapped)  # as the workbench asks before its figures
    assert missing.value.missing == ["aum"] and "资产余额X" in missing.value.unrecognised
    mapping = {"资产余额X": "aum"}
    first = load_any(path, mapping=mapping, first=columns_needed(scheme))
    assert list(first.frame.columns) == ["customer_id", "household_id", "aum"]
    first.finish()
    pd.testing.assert_frame_equal(first.frame, load_any(path, mapping=mapping).frame)
