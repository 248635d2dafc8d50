"""The rules screen: a scheme's tiers with their conditions written out (thresholds as
tuned), and the changes a product manager makes to them: a tier above or below, a
condition on a metric, a benefit; each validated by the live session before it is
applied, undoable, and saved as a scheme file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Static

from workbench.errors import WorkbenchError
from workbench.live import editing, is_scheme_file
from workbench.present.conditions import condition_text
from workbench.present.words import word
from workbench.text import Lang, Text
from workbench.tui import keys
from workbench.tui.screens.dialogs import FormDialog, PathDialog
from workbench.tui.screens.live_screen import LiveScreen
from workbench.tui.screens.main import NARROW
from workbench.tui.screens.picking import PickDialog
from workbench.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from workbench.live import Scheme


class NameDialog(FormDialog):
    """A name in English and Chinese (a new tier's, a new benefit's)."""

    def __init__(self, title: str, lang: Lang) -> None:
        super().__init__()
        self.title_text, self.lang = title, lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(RichText(self.title_text), classes="dialog-title")
            yield Label(RichText(self.w("rules.name_en")))
            yield Input("", id="en")
            yield Label(RichText(self.w("rules.name_zh")))
            yield Input("", id="zh")
            yield Static("", id="error", classes="error")
            yield Button("OK", variant="primary")

    def submit(self) -> None:
        en, zh = (self.query_one(f"#{k}", Input).value.strip() for k in ("en", "zh"))
        if not en or not zh:
            self.error(self.w("rules.name_missing"))
            return
        self.dismiss(Text(en, zh))


class RulesScreen(LiveScreen):
    BINDINGS = keys.bindings("rules")

    def compose(self) -> ComposeResult:
        yield Label("", id="rules-title", classes="screen-title")
        yield DataTable(id="rules-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="rules-sentences"):
            yield Static(id="rules-text")
        yield Static(RichText(self.w("rules.hint"), style="dim"), id="rules-hint")
        yield KeyFooter()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.write_sentences()

    def write_sentences(self) -> None:
        """Every tier's conditions in full (wrapped, never cut), the selected one bold, with
        the benefits it offers."""
        lang, scheme, live = self.lang, self.scheme, self.live
        params, options = live.edit.params, live.edit.options
        chosen = self.selected()
        out = RichText()
        for tier in reversed(scheme.tiers):
            style = "bold reverse" if tier.id == chosen else "bold"
            out.append(f" {tier.name.get(lang)}", style=style)
            out.append(self.w("colon"))
            if tier.criteria:
                out.append(condition_text(scheme, scheme.conditions(tier), params, lang, options))
            else:
                out.append(self.w("rules.everyone_else"), style="dim")
            offered = [b.name.get(lang) for b in scheme.benefits if tier.id in b.tiers]
            if offered:
                out.append(
                    "\n   " + self.w("rules.benefits") + self.w("colon") + ", ".join(offered), style="dim"
                )
            out.append("\n")
        self.query_one("#rules-text", Static).update(out)

    def on_mount(self) -> None:
        keys.localize(self, "rules", self.lang, narrow=self.app.size.width < NARROW)
        self.show()

    # -- showing ----------------------------------------------------------------------

    @property
    def scheme(self) -> Scheme:
        return self.live.edit.scheme

    def selected(self) -> str:
        table = self.query_one("#rules-table", DataTable)
        tiers = list(reversed(self.scheme.tier_ids))
        return tiers[min(table.cursor_row, len(tiers) - 1)] if tiers else ""

    def show(self, select: str | None = None) -> None:
        lang, scheme, live = self.lang, self.scheme, self.live
        origin = live.registry.scheme_plugin.get(scheme.id, "")
        if live.rules.unsaved:
            where = self.w("rules.unsaved")
        elif origin.startswith("file "):
            where = self.w("rules.file", name=Path(origin[5:]).name)
        else:
            where = self.w("rules.plugin", name=origin)
        title = self.w("rules.title", scheme=scheme.name.get(lang), origin=where)
        self.query_one("#rules-title", Label).update(RichText(title))
        table = self.query_one("#rules-table", DataTable)
        keep = select or (self.selected() if table.row_count else None)
        table.clear(columns=True)
        table.add_column(word("tier", lang))
        table.add_column(self.w("rules.condition_count"))
        table.add_column(self.w("rules.benefits"))
        for tier in reversed(scheme.tiers):
            leaves = sum(1 for _ in scheme.leaves(tier))
            offered = sum(1 for b in scheme.benefits if tier.id in b.tiers)
            table.add_row(
                RichText(tier.name.get(lang), style="bold"),
                RichText(str(leaves) if tier.criteria else "·", justify="right"),
                RichText(str(offered) if offered else "·", justify="right"),
                key=tier.id,
            )
        if keep in scheme.tier_ids:
            table.move_cursor(row=list(reversed(scheme.tier_ids)).index(keep))
        self.write_sentences()

    # -- changing -----------------------------------------------------------------------

    def change(self, what: str, edit: Callable[[Scheme], Scheme], select: str | None = None) -> None:
        """Apply one rule change through the live session; refused changes say why."""
        try:
            self.live.rules.apply(edit)
        except WorkbenchError as exc:
            self.app.show_error(self.w("error.rules"), exc.in_lang(self.lang))  # type: ignore[attr-defined]
            return
        self.app.changed()  # type: ignore[attr-defined]
        self.notify(self.w("rules.applied", what=what), markup=False)
        self.show(select)

    def action_add_above(self) -> None:
        self._add_tier(above=self.selected())

    def action_add_below(self) -> None:
        self._add_tier(below=self.selected())

    def _add_tier(self, above: str | None = None, below: str | None = None) -> None:
        def named(name: Text | None) -> None:
            if name is not None:
                self.change(
                    name.get(self.lang),
                    lambda s: editing.add_tier(s, name, below=below, above=above),
                    select=editing.slug(name.en, set(self.scheme.tier_ids)),
                )

        self.app.push_screen(NameDialog(self.w("rules.name_title"), self.lang), named)

    def action_remove_tier(self) -> None:
        tier = self.selected()
        name = self.scheme.tier(tier).name.get(self.lang)
        self.change(name, lambda s: editing.remove_tier(s, tier))

    def action_add_condition(self) -> None:
        tier = self.selected()
        items = [(m.id, m.name.get(self.lang)) for m in self.scheme.metrics if m.scale != "rank"]

        def picked(metric: str | None) -> None:
            if metric:
                self.change(metric, lambda s: editing.add_condition(s, tier, metric), select=tier)

        self.app.push_screen(PickDialog(self.w("rules.pick_metric"), items, lang=self.lang), picked)

    def action_remove_condition(self) -> None:
        tier = self.selected()
        scheme = self.scheme
        params = self.live.edit.params
        items = [
            (",".join(map(str, path)), condition_text(scheme, leaf, params, self.lang))
            for path, leaf in scheme.leaves(tier)
        ]

        def picked(choice: str | None) -> None:
            if choice:
                path = tuple(int(i) for i in choice.split(","))
                self.change(choice, lambda s: editing.remove_condition(s, tier, path), select=tier)

        self.app.push_screen(PickDialog(self.w("rules.pick_condition"), items, lang=self.lang), picked)

    def action_add_benefit(self) -> None:
        tier = self.selected()
        drivers = self.live.registry.drivers
        items = [(d.id, d.name.get(self.lang)) for d in drivers.values() if d.id != "not_costed"]

        def picked(driver: str | None) -> None:
            if not driver:
                return

            def named(name: Text | None) -> None:
                if name is not None:
                    self.change(
                        name.get(self.lang),
                        lambda s: editing.add_benefit(s, name, drivers[driver], (tier,)),
                        select=tier,
                    )

            self.app.push_screen(NameDialog(self.w("rules.benefit_name_title"), self.lang), named)

        self.app.push_screen(PickDialog(self.w("rules.pick_driver"), items, lang=self.lang), picked)

    def action_undo_rule(self) -> None:
        if self.live.rules.undo():
            self.app.changed()  # type: ignore[attr-defined]
            self.notify(self.w("rules.undone"), markup=False)
            self.show()
        else:
            self.notify(self.w("rules.nothing_to_undo"), markup=False)

    def action_save_rules(self) -> None:
        dirs = self.live.scenario_dirs()
        start = dirs[0] if dirs else Path.cwd()

        def chosen(target: Path | None) -> None:
            if target is None:
                return
            if target.suffix.lower() != ".toml":
                target = target.with_suffix(".toml")
            if target.exists():
                if not is_scheme_file(target):
                    self.app.show_error(  # type: ignore[attr-defined]
                        self.w("error.rules_save"), self.w("rules.not_a_scheme_file", path=target)
                    )
                    return
                self.app.ask_replace(target, lambda: self._save(target), self.action_save_rules)  # type: ignore[attr-defined]
                return
            self._save(target)

        self.app.push_screen(
            PathDialog(
                self.w("rules.save_title"),
                start,
                (".toml",),
                initial=f"{self.scheme.id}.toml",
                must_exist=False,
                lang=self.lang,
            ),
            chosen,
        )

    def _save(self, path: Path) -> None:
        try:
            self.live.rules.save(path)
        except (WorkbenchError, OSError) as exc:
            message = exc.in_lang(self.lang) if isinstance(exc, WorkbenchError) else str(exc)
            self.app.show_error(self.w("error.rules_save"), message)  # type: ignore[attr-defined]
            return
        self.notify(self.w("rules.saved", path=path), markup=False)
        self.show()

    def action_close(self) -> None:
        self.app.pop_screen()
