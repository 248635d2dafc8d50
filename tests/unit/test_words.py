"""Every word a person reads exists in English and Chinese, with the same placeholders."""

import string

from workbench.present.words import WORDS, word


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_word_has_both_languages_and_the_same_placeholders():
    for key, text in WORDS.items():
        assert text.en.strip() and text.zh.strip(), f"{key} lacks a language"
        assert placeholders(text.en) == placeholders(text.zh), f"{key}: placeholders differ"


def test_words_fill_their_placeholders():
    assert word("status.saved", "en", path="a.toml") == "Saved a.toml"
    assert word("status.saved", "zh", path="a.toml") == "已保存 a.toml"
    assert word("header.customers", "zh", count="5,000") == "5,000户"


def test_every_unit_a_built_in_scheme_uses_has_chinese(registry):
    from workbench.present.words import UNITS

    units = {p.unit for s in registry.schemes.values() for p in s.parameters}
    units |= {m.unit for s in registry.schemes.values() for m in s.metrics}
    units |= {f.unit for d in registry.drivers.values() for f in d.fields if not f.share}
    assert units - {""} <= set(UNITS), units - set(UNITS)
