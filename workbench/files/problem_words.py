"""The Chinese of the bad-value messages a file can get (``convert.Problems``): what was
expected and what was found, phrase by phrase, so each message exists in both languages."""

from __future__ import annotations

import re

EXPECTED = {
    "an amount in CNY (0 for none)": "以元计的金额(无则填 0)",
    "a number (0 for none)": "数字(无则填 0)",
    "an amount in CNY >= 0": "不小于 0 的金额(元)",
    "a number >= 0": "不小于 0 的数字",
    "yes/no (是/否, true/false, 1/0)": "是/否(是/否、true/false、1/0)",
    "a customer key": "客户号",
    "a key not used on an earlier row": "未在前面的行出现过的客户号",
}
PATTERNS = (
    (re.compile(r"^a finite amount in CNY up to ([\d,]+)$"), r"不超过 \1 的金额(元)"),
    (re.compile(r"^a finite number up to ([\d,]+)$"), r"不超过 \1 的数字"),
    (re.compile(r"^one of (.*)$"), r"以下之一:\1"),
    (re.compile(r"^an empty cell$"), "空单元格"),
    (re.compile(r"^a date \((.*)\)$"), r"日期(\1)"),
    (re.compile(r"^a time \((.*)\)$"), r"时间(\1)"),
    (re.compile(r"^the Excel error (.*)$"), r"Excel 错误值 \1"),
    (
        re.compile(r"^a formula with no saved value \((.*)\); .*$"),
        r"没有保存结果的公式(\1);请在 Excel 或 WPS 中打开并保存,使其结果写入文件",
    ),
    (re.compile(r"^, already on row (\d+)$"), r",已在第 \1 行出现"),
)


def chinese(phrase: str) -> str:
    """A phrase of a bad-value message in Chinese; a value as found (quoted) stays as is."""
    if phrase in EXPECTED:
        return EXPECTED[phrase]
    for pattern, replacement in PATTERNS:
        if pattern.match(phrase):
            return pattern.sub(replacement, phrase)
    return phrase
