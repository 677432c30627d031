"""A score report as a table: one row per metric, a column for all compared articles and one
per article, as plain text for a terminal or Markdown for the card and the datasheet."""

from collections.abc import Callable

from build_dataset.evaluate.score import (
    Accuracy,
    Agreement,
    CorefScore,
    Detection,
    ScoreReport,
    Scores,
)

Row = tuple[str, Callable[[Scores], float | None]]


def _detection(name: str, get: Callable[[Scores], Detection]) -> list[Row]:
    return [
        (f"{name} precision", lambda s: get(s).precision),
        (f"{name} recall", lambda s: get(s).recall),
        (f"{name} F1", lambda s: get(s).f1),
    ]


def _coref(get: Callable[[Scores], CorefScore | None]) -> Callable[[Scores], float | None]:
    def f1(scores: Scores) -> float | None:
        found = get(scores)
        return None if found is None else found.f1

    return f1


def _accuracy(name: str, get: Callable[[Scores], Accuracy]) -> Row:
    return name, lambda s: get(s).accuracy


def _kappa(name: str, get: Callable[[Scores], Agreement]) -> list[Row]:
    return [_accuracy(f"{name} agreement", get), (f"{name} Cohen's κ", lambda s: get(s).kappa)]


ROWS: list[Row] = [
    *_detection("claim spans, exact,", lambda s: s.claims.exact),
    *_detection("claim spans, overlap,", lambda s: s.claims.overlap),
    _accuracy("claimant accuracy", lambda s: s.claims.claimant),
    _accuracy("cue match", lambda s: s.claims.cue),
    *_kappa("quote type", lambda s: s.claims.quote_type),
    *_kappa("claim type", lambda s: s.claims.claim_type),
    ("date spans F1", lambda s: s.dates.spans.f1),
    _accuracy("date value", lambda s: s.dates.value),
    _accuracy("date precision", lambda s: s.dates.precision),
    ("quantity spans F1", lambda s: s.quantities.spans.f1),
    _accuracy("quantity value", lambda s: s.quantities.value),
    _accuracy("quantity bounds", lambda s: s.quantities.bounds),
    _accuracy("quantity qualifier", lambda s: s.quantities.qualifier),
    _accuracy("quantity measure", lambda s: s.quantities.measure),
    ("place spans F1", lambda s: s.places.spans.f1),
    _accuracy("place id", lambda s: s.places.place),
    ("event mentions MUC F1", _coref(lambda s: s.events.muc)),
    ("event mentions B³ F1", _coref(lambda s: s.events.b_cubed)),
    ("event mentions CEAF-e F1", _coref(lambda s: s.events.ceaf_e)),
    ("event mentions CoNLL F1", lambda s: s.events.conll_f1),
    *_detection("relations", lambda s: s.relations),
]
"""Every reported metric, in the order the tables show them."""


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _cells(report: ScoreReport) -> list[list[str]]:
    """The header row, then a row per metric."""
    columns = [report.overall, *report.articles]
    header = ["metric", "all", *(a.article_id.partition("_")[0] for a in report.articles)]
    return [header, *([name, *(_number(get(c)) for c in columns)] for name, get in ROWS)]


def report_text(report: ScoreReport) -> str:
    """The report as aligned columns; articles are named by their number."""
    cells = _cells(report)
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in cells
    ]
    return "\n".join(lines) + "\n"


def agreement_markdown(report: ScoreReport) -> str:
    """The report as a Markdown table, for a generated section of the card or the datasheet."""
    return _markdown(_cells(report))


def history_markdown(reports: dict[str, ScoreReport]) -> str:
    """The overall column of several reports side by side, one column per release."""
    header = ["metric", *reports]
    rows = [[name, *(_number(get(r.overall)) for r in reports.values())] for name, get in ROWS]
    return _markdown([header, *rows])


def _markdown(cells: list[list[str]]) -> str:
    header, *rows = cells
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
