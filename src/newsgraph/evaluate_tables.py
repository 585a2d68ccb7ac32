"""Rich tables of an evaluation ``Report`` for the terminal (``newsgraph eval``)."""

from __future__ import annotations

from typing import Any

from newsgraph.evaluate import ALL, Ratio, Report


def report_tables(report: Report, *, details: bool = False) -> list[Any]:
    """Rich renderables for a report: scores by language, by relation, and details.

    Example:
        >>> for table in report_tables(report):
        ...     console.print(table)
    """
    from rich.table import Table
    from rich.text import Text

    scores = Table(title="newsgraph evaluation", title_justify="left")
    for column in ("lang", "articles", "edge P", "edge R", "edge F1"):
        scores.add_column(column, justify="right" if column != "lang" else "left")
    for column in ("claim P", "claim R", "claim F1", "amount acc", "linking acc"):
        scores.add_column(column, justify="right")
    rows = sorted(report.by_lang.items())
    for lang, s in [*rows, (ALL, report.overall)]:
        scores.add_row(
            lang,
            str(s.articles),
            _pct(s.edges.precision),
            _pct(s.edges.recall),
            _pct(s.edges.f1),
            _pct(s.claims.precision),
            _pct(s.claims.recall),
            _pct(s.claims.f1),
            _ratio(s.amounts),
            _ratio(s.linking),
            end_section=lang != ALL and lang == rows[-1][0] if rows else False,
            style="bold" if lang == ALL else None,
        )
    tables: list[Any] = [scores]

    relations = Table(title="edges by relation", title_justify="left")
    for column in ("relation", "TP", "FP", "FN", "P", "R", "F1"):
        relations.add_column(column, justify="left" if column == "relation" else "right")
    for relation, c in sorted(report.by_relation.items()):
        relations.add_row(
            relation,
            str(c.tp),
            str(c.fp),
            str(c.fn),
            _pct(c.precision),
            _pct(c.recall),
            _pct(c.f1),
        )
    tables.append(relations)

    if details:
        for article in report.articles:
            table = Table(
                title=f"{article.id} ({article.lang})", title_justify="left", show_header=False
            )
            table.add_column("what", style="bold")
            table.add_column("items")
            for what, items in (
                ("edge FN", [" ".join(e) for e in article.edge_fn]),
                ("edge FP", [" ".join(e) for e in article.edge_fp]),
                ("claim FN", [" ".join(c) for c in article.claim_fn]),
                ("claim FP", [" ".join(c) for c in article.claim_fp]),
                ("amount", article.amount_errors),
                ("linking", article.linking_errors),
            ):
                if items:
                    table.add_row(what, Text("\n".join(items)))
            if table.row_count:
                tables.append(table)
    return tables


def report_problems(report: Report) -> list[str]:
    """One line per gold article that could not be scored or failed."""
    lines = [f"{doc_id}: no article text, not scored" for doc_id in report.missing]
    lines += [f"{doc_id}: analysis failed ({message})" for doc_id, message in report.failed.items()]
    return lines


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def _ratio(ratio: Ratio) -> str:
    value = ratio.value
    return "–" if value is None else f"{100 * value:.1f} ({ratio.correct}/{ratio.total})"


__all__ = ["report_problems", "report_tables"]
