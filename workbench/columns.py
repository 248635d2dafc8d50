"""Canonical portfolio columns, their types, defaults and common aliases.

The canonical names are part of the product's interface (``schemes.md``):
scenario column mappings and scheme plugins name them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from workbench.model import Column
from workbench.text import Text

_BOOL_ALIASES = {
    "true": "true",
    "t": "true",
    "yes": "true",
    "y": "true",
    "1": "true",
    "1.0": "true",
    "是": "true",
    "有": "true",
    "持有": "true",
    "已签约": "true",
    "已开立": "true",
    "√": "true",
    "false": "false",
    "f": "false",
    "no": "false",
    "n": "false",
    "0": "false",
    "0.0": "false",
    "否": "false",
    "无": "false",
    "未持有": "false",
    "未签约": "false",
    "未开立": "false",
    "": "false",
}


def _money(name: str, en: str, zh: str, *aliases: str, default: float | None = 0.0) -> Column:
    return Column(name, "money", Text(en, zh), default=default, aliases=aliases)


CANONICAL_COLUMNS: tuple[Column, ...] = (
    Column(
        "customer_id",
        "id",
        Text("Customer key", "客户号"),
        aliases=(
            "客户号",
            "客户编号",
            "客户ID",
            "客户代码",
            "客户编码",
            "客户标识",
            "cust_id",
            "customer_no",
            "customer_number",
            "client_id",
            "客户",
            "id",
        ),
    ),
    Column(
        "household_id",
        "text",
        Text("Household key (empty: a household of one)", "家庭号"),
        default="",
        aliases=(
            "家庭号",
            "家庭编号",
            "家庭ID",
            "家庭代码",
            "户号",
            "家庭账户",
            "family_id",
            "household",
            "family",
        ),
    ),
    _money(
        "aum",
        "Daily-average AUM, latest month (CNY)",
        "月日均综合金融资产",
        "日均资产",
        "日均综合金融资产",
        "月日均资产",
        "月日均综合金融资产",
        "综合金融资产",
        "金融资产",
        "平均月日均余额",
        "月日均余额",
        "日均余额",
        "资产",
        "AUM",
        "daily_avg_aum",
        "avg_daily_aum",
        "balance",
        "assets",
        default=None,
    ),
    _money(
        "aum_short_6m",
        "Half-year daily-average short-term assets",
        "短期资产半年日均",
        "短期资产",
        "短期资产半年日均余额",
        "short_term_assets",
    ),
    _money(
        "aum_long_6m",
        "Half-year daily-average mid/long-term assets",
        "中长期资产半年日均",
        "中长期资产",
        "中长期资产半年日均余额",
        "long_term_assets",
    ),
    _money(
        "mortgage_6m",
        "Half-year daily-average mortgage balance",
        "个人住房按揭贷款半年日均",
        "住房按揭贷款",
        "按揭贷款",
        "个人住房按揭贷款",
        "mortgage",
    ),
    _money(
        "other_loans_6m",
        "Half-year daily-average other personal loans",
        "其他个人贷款半年日均",
        "其他个人贷款",
        "other_loans",
    ),
    _money(
        "card_overdraft_6m",
        "Half-year daily-average interest-bearing card overdraft",
        "信用卡计息透支半年日均",
        "信用卡计息透支",
        "卡透支",
        "card_overdraft",
    ),
    _money(
        "investment_txn_6m",
        "Half-year cumulative investment transactions",
        "投资理财类交易半年累计",
        "投资理财类交易",
        "投资理财交易额",
        "investment_transactions",
    ),
    _money(
        "card_spend_6m",
        "Half-year cumulative card consumption",
        "卡消费交易半年累计",
        "卡消费交易",
        "刷卡消费",
        "卡消费",
        "card_spend",
    ),
    _money(
        "settlement_txn_6m",
        "Half-year cumulative settlement transactions",
        "结算类交易半年累计",
        "结算类交易",
        "settlement_transactions",
    ),
    Column(
        "credit_card",
        "category",
        Text("Highest credit card held", "持有最高信用卡"),
        default="none",
        categories=("none", "standard", "gold", "platinum"),
        aliases=("信用卡", "信用卡等级", "持有信用卡", "信用卡级别", "card"),
        value_aliases={
            "无": "none",
            "": "none",
            "普卡": "standard",
            "信用卡普卡": "standard",
            "金卡": "gold",
            "信用卡金卡": "gold",
            "白金卡": "platinum",
            "白金信用卡": "platinum",
        },
    ),
    Column(
        "wealth_account",
        "bool",
        Text("Holds a wealth management account", "理财金账户"),
        default=False,
        aliases=("理财金账户", "持有理财金账户"),
        value_aliases=_BOOL_ALIASES,
    ),
    Column(
        "wealth_card",
        "bool",
        Text("Holds a wealth card (工银财富)", "工银财富卡"),
        default=False,
        aliases=("工银财富卡", "财富卡", "工银财富理财金账户卡"),
        value_aliases=_BOOL_ALIASES,
    ),
    Column(
        "private_banking",
        "bool",
        Text("Signed a private banking agreement", "私人银行服务协议"),
        default=False,
        aliases=("私人银行服务协议", "私人银行", "私行签约"),
        value_aliases=_BOOL_ALIASES,
    ),
    Column(
        "service_star_override",
        "tier",
        Text("Manual service star (tier id)", "手工调整服务星级"),
        default="",
        aliases=("手工调整服务星级", "服务星级调整", "手工服务星级", "服务星级手工调整"),
    ),
    Column(
        "designated_card_level",
        "category",
        Text("Level the held high-end credit card is designated for", "指定高端信用卡等级"),
        default="none",
        categories=("none", "gold", "platinum", "diamond"),
        aliases=("指定高端信用卡等级", "指定高端信用卡", "指定卡等级", "高端信用卡"),
        value_aliases={"无": "none", "": "none", "金卡": "gold", "白金卡": "platinum", "钻石卡": "diamond"},
    ),
    _money(
        "household_income",
        "Household annual income",
        "家庭年收入",
        "家庭年收入",
        "家庭收入",
        "年收入",
        "annual_household_income",
        "family_income",
        "income",
    ),
    Column(
        "branch",
        "text",
        Text("Branch or region", "网点"),
        default="",
        aliases=("网点", "支行", "机构", "分行", "所属网点", "所属机构", "营业网点", "region"),
    ),
    Column(
        "current_tier",
        "tier",
        Text("Tier shown by the bank's system today", "当前等级"),
        default="",
        aliases=("当前等级", "现等级", "客户等级", "当前星级", "current_level"),
    ),
)

COLUMNS: dict[str, Column] = {c.name: c for c in CANONICAL_COLUMNS}

_WAN = re.compile(r"[（(]\s*万元?\s*[)）]|万元")
_UNIT = re.compile(r"[（(][^)）]*[)）]")
_SEPARATORS = re.compile(r"[\s_\-./:：]+")


def normalize_header(header: str) -> str:
    """A header reduced for matching: lower case, no units, no separators."""
    text = _UNIT.sub("", str(header).replace("\ufeff", ""))
    return _SEPARATORS.sub("", text).lower()


def header_scale(header: str) -> float:
    """10,000 when a header says its values are in 万 (wan), else 1."""
    return 10_000.0 if _WAN.search(str(header)) else 1.0


def alias_index(columns: tuple[Column, ...] | list[Column]) -> dict[str, str]:
    """Normalized alias -> canonical name, for the given columns."""
    index: dict[str, str] = {}
    for col in columns:
        for alias in (col.name, *col.aliases, col.description.zh):
            index.setdefault(normalize_header(alias), col.name)
    return index


SUGGEST_FROM = 0.6  # how alike a header and a column's name must be to be suggested


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


def mapping_hint(suggested: Mapping[str, str]) -> str:
    """How to apply suggested mappings, on the command line and in a scenario."""
    if not suggested:
        return ""
    pairs = list(suggested.items())
    guesses = ", ".join(f"{h!r} -> {c}" for h, c in pairs)
    flags = " ".join(f"--map '{h}={c}'" for h, c in pairs)
    toml = "; ".join(f'"{h}" = "{c}"' for h, c in pairs)
    return f"; perhaps {guesses}: pass {flags}, or add {toml} to the scenario's [portfolio.columns]"
