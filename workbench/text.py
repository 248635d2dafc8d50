"""Bilingual labels: every name a user sees exists in English and Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


@dataclass(frozen=True)
class Text:
    """A label in English and Chinese, e.g. ``Text("Platinum", "白金卡")``."""

    en: str
    zh: str

    def get(self, lang: Lang = "en") -> str:
        """The label in ``lang``; English when the Chinese one is empty."""
        return self.zh if lang == "zh" and self.zh else self.en

    def __str__(self) -> str:
        return self.en

    def __contains__(self, part: str) -> bool:
        return part in self.en


def place(where: str) -> Text:
    """Where in a file, in both languages: ``x.xlsx, sheet 客户`` / ``x.xlsx,工作表 客户``."""
    return Text(where, where.replace(", sheet ", ",工作表 "))
