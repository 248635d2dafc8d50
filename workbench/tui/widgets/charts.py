"""Charts drawn with block characters: the customer pyramid and a metric's distribution."""

from __future__ import annotations

import math

from rich.text import Text

from workbench import fmt
from workbench.live import View
from workbench.present.tables import display_width, pad
from workbench.present.words import word
from workbench.text import Lang
from workbench.tui.widgets.redraw import Redrawn
from workbench.tui.widgets.sized import ShownForWidth

BLOCKS = " ▏▎▍▌▋▊▉█"
COLUMNS = " ▁▂▃▄▅▆▇█"


def hbar(share: float, width: int) -> str:
    """A bar of ``share`` x ``width`` cells in eighths; any share above zero shows a sliver."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    if share > 0 and eighths == 0:
        eighths = 1
    full, rest = divmod(eighths, 8)
    return "█" * full + (BLOCKS[rest] if rest else "")


class Chart(Redrawn, ShownForWidth):
    """A chart drawn for its width: drawn again when its width changes."""

    def show(self, view: View, lang: Lang) -> None:
        self.shown(lambda: self.draw(view, lang))
        self.draw(view, lang)

    def draw(self, view: View, lang: Lang) -> None:
        raise NotImplementedError


class PyramidChart(Chart):
    """Customer share against AUM share per tier, highest tier first: the 80/20 story."""

    def draw(self, view: View, lang: Lang) -> None:
        result = view.result
        rows = list(reversed(result.rows()))
        names = [result.tier_label(r.index, lang) for r in rows]
        name_w = max(display_width(n) for n in names)
        bar_w = max((self.content_size.width - name_w - 16) // 2, 3)
        text = Text()
        left = word("pyramid.customers", lang)
        right = word("pyramid.aum", lang)
        text.append(pad("", name_w) + " " + pad(left, bar_w + 7) + " " + right + "\n", style="dim")
        for name, r in zip(names, rows, strict=True):
            text.append(pad(name, name_w) + " ")
            text.append(pad(hbar(r.share, bar_w), bar_w), style="cyan")
            text.append(f"{fmt.percent(r.share):>6} ", style="bold cyan")
            text.append(pad(hbar(r.aum_share, bar_w), bar_w), style="magenta")
            text.append(f"{fmt.percent(r.aum_share):>6}\n", style="bold magenta")
        top = rows[: max(1, len(rows) // 2)]
        customers = fmt.percent(sum(r.share for r in top))
        aum = fmt.percent(sum(r.aum_share for r in top))
        text.append(word("pyramid.top", lang, tiers=len(top), customers=customers, aum=aum), style="dim")
        self.redraw(text)


def place(cells: list[str], pos: int, label: str, gap: int = 0) -> bool:
    """Write ``label`` into a line of terminal cells from ``pos`` when it fits with ``gap``
    free cells either side; a double-width character takes two cells."""
    wide = [(ch, display_width(ch)) for ch in label]
    size = sum(w for _, w in wide)
    if pos < 0 or pos + size > len(cells):
        return False
    if any(c != " " for c in cells[max(0, pos - gap) : min(len(cells), pos + size + gap)]):
        return False
    for ch, w in wide:
        cells[pos] = ch
        if w == 2:
            cells[pos + 1] = ""
        pos += w
    return True


def axis_label(value: float, lang: Lang = "en") -> str:
    return fmt.tick(value, lang)


def short_value(value: float, lang: Lang) -> str:
    return fmt.tick(value, lang)


MARKS = {-1: "◀", 0: "▲", 1: "▶"}  # a threshold below, on and above the drawn range


class DistributionChart(Chart):
    """A histogram of the metric being tuned, with its thresholds marked under it."""

    compact = False

    def draw(self, view: View, lang: Lang) -> None:
        hist = view.histogram
        if hist is None:
            self.redraw(Text(word("distribution.none", lang), style="dim"))
            return
        width = max(self.content_size.width, 20)
        height = 4 if self.compact else 7
        counts = hist.counts.astype(float)
        cols = []
        for c in range(width):
            first = int(c * len(counts) / width)
            last = max(first + 1, int((c + 1) * len(counts) / width))
            cols.append(counts[first:last].sum() / (last - first))
        peak = max(max(cols), 1.0)
        levels = [math.sqrt(v / peak) * height * 8 for v in cols]  # square root: small counts stay visible
        text = Text()
        for row in range(height - 1, -1, -1):
            line = "".join(COLUMNS[int(max(0, min(8, lev - row * 8)))] for lev in levels)
            text.append(line + "\n", style="blue")
        axis = [" "] * width
        if hist.log:
            lo, hi = math.log10(hist.edges[0]), math.log10(hist.edges[-1])
            for d in range(math.ceil(lo), math.floor(hi) + 1):
                place(axis, int(hist.position(10**d) * (width - 1)), axis_label(10**d, lang), gap=1)
        else:
            end = axis_label(hist.edges[-1], lang)
            place(axis, 0, axis_label(hist.edges[0], lang))
            place(axis, width - display_width(end), end)
        text.append("".join(axis) + "\n", style="dim")
        marks = [" "] * width
        styles = [""] * width
        sides = [hist.side(m.value) for m in view.markers]
        for m, side in sorted(zip(view.markers, sides, strict=True), key=lambda pair: pair[0].selected):
            pos = int(hist.position(m.value) * (width - 1))
            marks[pos] = MARKS[side]
            styles[pos] = "bold yellow" if m.selected else "white"
        for ch, style in zip(marks, styles, strict=True):
            text.append(ch, style=style)
        text.append("\n")
        used = 0  # threshold labels wrap between labels, never inside one
        for m, side in zip(view.markers, sides, strict=True):
            arrow = f"{MARKS[side]} " if side else ""
            piece = f"{arrow}{m.label.get(lang)} {short_value(m.value, lang)}"
            size = display_width(piece)
            if used and used + 2 + size > width:
                text.append("\n")
                used = 0
            elif used:
                text.append("  ")
                used += 2
            text.append(piece, style="bold yellow" if m.selected else "dim")
            used += size
        if view.near is not None:
            near = view.near
            text.append("\n")
            text.append(
                word(
                    "distribution.near",
                    lang,
                    band=f"{near.band:.0%}",
                    below=fmt.number(near.below),
                    above=fmt.number(near.above),
                ),
                style="yellow",
            )
        extra = []
        if hist.below:
            edge = axis_label(hist.edges[0], lang)
            extra.append(word("distribution.below", lang, count=fmt.number(hist.below), edge=edge))
        if hist.missing:
            extra.append(word("distribution.missing", lang, count=fmt.number(hist.missing)))
        if any(sides):
            extra.append(word("distribution.off_scale", lang))
        if extra:
            text.append("\n" + word("distribution.notes_separator", lang).join(extra), style="dim")
        self.redraw(text)
