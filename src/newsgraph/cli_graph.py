"""The graph commands of ``newsgraph``: ingest, entity, edges, timeline,
dependencies, claims and export. Each parses its arguments and calls one
library function; ``--format`` chooses a table, JSON or CSV.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsgraph.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_PARTIAL, NoInputs
from newsgraph.model import RELATIONS, Modality
from newsgraph.render import FORMATS, amount_text, excerpt, table, write_csv, write_json
from newsgraph.store.db import DEFAULT_DB

PROG = "newsgraph"
EXPORT_FORMATS = ("jsonl", "parquet", "graphml", "turtle", "csv")

INGEST_EPILOG = """\
examples:
  newsgraph ingest articles/
  newsgraph ingest feed.xml crawl.warc.gz dump.jsonl --db news.duckdb
  newsgraph ingest articles/ --processes 1 --format json > summary.json
  newsgraph ingest hdfs:///news/2025/ --engine spark --master yarn --output tables/
  newsgraph load tables/ --db news.duckdb          # then query as usual

Reads .txt, .html, .jsonl, RSS/Atom (.xml .rss .atom) and WARC (.warc .warc.gz)
files, and folders of them recursively. An article already in the store (same
text) adds nothing; a bad item is reported and skipped. Exit codes: 0 ok,
1 some items skipped or failed, 3 nothing readable, or the store is unusable."""

QUERY_EPILOGS = {
    "entity": "examples:\n  newsgraph entity Microsoft\n  newsgraph entity 'le géant de Redmond' "
    "--format json",
    "edges": "examples:\n  newsgraph edges --between Microsoft OpenAI\n"
    "  newsgraph edges --top 20 --relation INVESTS_IN --format csv > edges.csv",
    "timeline": "examples:\n  newsgraph timeline Microsoft OpenAI --by quarter\n"
    "  newsgraph timeline Amazon Anthropic --plot amazon_anthropic.png",
    "dependencies": "examples:\n  newsgraph dependencies OpenAI\n"
    "  newsgraph dependencies Anthropic --format json",
    "claims": "examples:\n  newsgraph claims --modality speculative --relation SUES\n"
    "  newsgraph claims --entity Nvidia --since 2021-01-01 --format csv",
    "export": "examples:\n  newsgraph export --format graphml -o graph.graphml\n"
    "  newsgraph export --format parquet -o tables/\n"
    "  newsgraph export --format csv -o neo4j/    # then see neo4j/README.txt",
}


def add_commands(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    """Add the graph commands to the ``newsgraph`` sub-parsers."""
    ingest = commands.add_parser(
        "ingest",
        help="read articles into the graph store",
        description="Analyse articles and add them to the graph store (a DuckDB file).",
        epilog=INGEST_EPILOG,
        formatter_class=formatter,
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to read")
    _db(ingest)
    ingest.add_argument(
        "--processes", type=_positive, default=2, help="analysis processes (default: 2)"
    )
    ingest.add_argument(
        "--batch-size",
        type=_positive,
        default=16,
        help="articles per worker task and per store transaction (default: 16)",
    )
    ingest.add_argument("--lang", help="language of every article (default: detect)")
    ingest.add_argument(
        "--format", choices=("table", "json"), default="table", help="summary format"
    )
    ingest.add_argument(
        "--engine",
        choices=("local", "spark"),
        default="local",
        help="local: worker processes into --db (default); spark: a Spark job into "
        "Parquet tables under --output (pip install 'newsgraph[spark]', Java 17+), "
        "then `newsgraph load`",
    )
    ingest.add_argument(
        "--master", default="local[2]", help="with --engine spark: local[N], spark://…, yarn"
    )
    ingest.add_argument("--output", metavar="DIR", help="with --engine spark: the tables' folder")
    ingest.set_defaults(handler=run_ingest)

    entity = _query(commands, formatter, "entity", "an entity, its aliases and its edges")
    entity.add_argument("name", help="a name, alias or id")
    entity.set_defaults(handler=run_entity)

    edges = _query(commands, formatter, "edges", "claims between two entities, or the top edges")
    edges.add_argument("--between", nargs=2, metavar=("A", "B"), help="two entities")
    edges.add_argument("--top", type=_positive, default=20, help="without --between: how many")
    edges.add_argument(
        "--limit",
        type=int,
        default=100,
        help="with --between: at most this many claims, oldest first (default 100; 0: all)",
    )
    edges.add_argument("--relation", choices=sorted(RELATIONS), help="only this relation")
    edges.set_defaults(handler=run_edges)

    timeline = _query(commands, formatter, "timeline", "how a relationship moved over time")
    timeline.add_argument("a", metavar="A")
    timeline.add_argument("b", metavar="B")
    timeline.add_argument("--by", choices=("month", "quarter", "year"), default="quarter")
    timeline.add_argument("--since", metavar="YYYY-MM-DD")
    timeline.add_argument("--until", metavar="YYYY-MM-DD")
    timeline.add_argument("--plot", metavar="FILE", help="also draw it (.png or .svg)")
    timeline.set_defaults(handler=run_timeline)

    deps = _query(commands, formatter, "dependencies", "suppliers, funders and controllers")
    deps.add_argument("name", help="a name, alias or id")
    deps.set_defaults(handler=run_dependencies)

    claims = _query(commands, formatter, "claims", "claims filtered by modality, relation…")
    claims.add_argument("--modality", choices=[m.value for m in Modality])
    claims.add_argument("--relation", choices=sorted(RELATIONS))
    claims.add_argument("--entity", help="an entity on either side")
    claims.add_argument("--since", metavar="YYYY-MM-DD")
    claims.add_argument("--until", metavar="YYYY-MM-DD")
    claims.add_argument("--lang", help="language of the article")
    claims.add_argument("--limit", type=_positive, default=100, help="at most this many")
    claims.set_defaults(handler=run_claims)

    export = commands.add_parser(
        "export",
        help="write the graph as jsonl, parquet, graphml, turtle or csv",
        description="Export the store: JSON Lines (one article a line), Parquet tables, "
        "GraphML (Gephi, networkx), RDF Turtle (Wikidata ids where known) or Neo4j CSV.",
        epilog=QUERY_EPILOGS["export"],
        formatter_class=formatter,
    )
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    export.add_argument("-o", "--output", required=True, metavar="OUT", help="file or folder")
    _db(export)
    export.set_defaults(handler=run_export)


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", default=DEFAULT_DB, metavar="FILE", help=f"the store (default: {DEFAULT_DB})"
    )


def _query(
    commands: Any, formatter: type[argparse.HelpFormatter], name: str, summary: str
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=QUERY_EPILOGS[name],
        formatter_class=formatter,
    )
    _db(parser)
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    return parser


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from e
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return number


def _graph(args: argparse.Namespace) -> Any:
    from newsgraph.graph import Graph

    return Graph(args.db)


def _console() -> Any:
    from newsgraph.cli import _console as console

    return console()


# --- ingest --------------------------------------------------------------------


def run_ingest(args: argparse.Namespace) -> int:
    """``newsgraph ingest``: read, analyse, store; a progress line; a summary."""
    from newsgraph.ingest.run import ingest

    if args.engine == "spark":
        from newsgraph.cli_spark import run_spark_ingest

        return run_spark_ingest(args)

    with _progress() as progress:
        summary = ingest(
            args.paths,
            db=args.db,
            processes=args.processes,
            batch_size=args.batch_size,
            lang=args.lang,
            progress=progress,
        )
    for item in summary.skipped + summary.failed:
        print(f"{PROG}: {item.message}", file=sys.stderr)
    if args.format == "json":
        write_json(summary.to_dict())
    else:
        _print_summary(summary, args.db)
    if summary.read == 0 and not summary.skipped:
        raise NoInputs(
            ", ".join(args.paths),
            kinds="article",
            give=".txt, .html, .jsonl, RSS/Atom (.xml .rss .atom) or WARC (.warc .warc.gz) "
            "files, or folders that contain some",
        )
    if summary.read == 0 or (
        summary.analysed == 0 and summary.failed and not summary.already_stored
    ):
        return EXIT_BAD_INPUT
    return EXIT_PARTIAL if summary.skipped or summary.failed else EXIT_OK


def _print_summary(summary: Any, db: str) -> None:
    reasons: dict[str, int] = {}
    for item in summary.skipped + summary.failed:
        reasons[item.code] = reasons.get(item.code, 0) + 1
    why = ", ".join(f"{n} × {code}" for code, n in sorted(reasons.items()))
    rate = summary.analysed / summary.seconds if summary.seconds else 0.0
    print(
        f"{PROG}: read {summary.read}, analysed {summary.analysed} ({rate:.1f}/s), "
        f"already stored {summary.already_stored}, duplicates {summary.duplicates}, "
        f"skipped {len(summary.skipped)}, failed {len(summary.failed)}"
        + (f" ({why})" if why else ""),
        file=sys.stderr,
    )
    if summary.read:
        print(
            f"{PROG}: {db} holds {summary.documents} documents in {summary.stories} stories",
            file=sys.stderr,
        )


class _progress:
    """A Rich progress line on a terminal's stderr; nothing when stderr is not a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __enter__(self) -> Any:
        from rich.console import Console

        console = Console(file=sys.stderr)
        if not console.is_terminal:
            return None
        import time

        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.bar = bar
        bar.start()
        task = bar.add_task("loading the models…")
        started = time.perf_counter()

        def update(summary: Any) -> None:
            rate = summary.analysed / max(time.perf_counter() - started, 1e-9)
            bar.update(
                task,
                description=(
                    f"read {summary.read} · analysed {summary.analysed} ({rate:.1f}/s) · "
                    f"duplicates {summary.duplicates + summary.already_stored} · "
                    f"skipped {len(summary.skipped) + len(summary.failed)}"
                ),
            )

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


# --- queries -------------------------------------------------------------------


def run_entity(args: argparse.Namespace) -> int:
    with _graph(args) as graph:
        found = graph.entity(args.name)
    if args.format == "json":
        write_json(found)
        return EXIT_OK
    rows = [edge for edges in found["edges"].values() for edge in edges]
    if args.format == "csv":
        write_csv(rows)
        return EXIT_OK
    console = _console()
    qid = f", {found['qid']}" if found.get("qid") else ""
    console.print(f"[bold]{found['name']}[/bold] ({found['type']}{qid}) — id {found['id']}")
    if found["aliases"]:
        console.print("aliases: " + ", ".join(found["aliases"]), highlight=False, markup=False)
    forms = ", ".join(f"{m['text']} ({m['count']})" for m in found.get("mentions", []))
    if forms:
        console.print("named in the articles as: " + forms, highlight=False, markup=False)
    console.print(table(rows, _EDGE_COLUMNS, title=f"{len(rows)} edge(s)"))
    return EXIT_OK


_EDGE_COLUMNS = (
    ("subject_name", "subject"),
    ("relation", "relation"),
    ("object_name", "object"),
    ("modality", "strongest modality"),
    ("n_stories", "stories"),
    ("n_claims", "claims"),
    ("first_date", "first"),
    ("last_date", "last"),
)


def run_edges(args: argparse.Namespace) -> int:
    with _graph(args) as graph:
        total = 0
        if args.between:
            rows = graph.edges(*args.between, relation=args.relation, limit=args.limit or None)
            total = len(rows)
            if args.limit and len(rows) == args.limit:
                total = graph.count_edges(*args.between, relation=args.relation)
        else:
            rows = graph.top_edges(limit=args.top, relation=args.relation)
    if args.format == "json":
        write_json(rows)
    elif args.format == "csv":
        write_csv(rows)
    elif args.between:
        shown = f"{len(rows)} of {total}" if total > len(rows) else str(len(rows))
        _console().print(
            _claims_table(rows, f"{shown} claim(s) between {args.between[0]} and {args.between[1]}")
        )
    else:
        _console().print(table(rows, _EDGE_COLUMNS, title=f"top {len(rows)} edge(s)"))
    if args.between and total > len(rows):
        print(
            f"{PROG}: showing the first {len(rows)} of {total} claims; --limit 0 shows all",
            file=sys.stderr,
        )
    return EXIT_OK


def _claims_table(rows: list[dict[str, Any]], title: str) -> Any:
    shown = [
        {
            **row,
            "amount_text": amount_text(row.get("amount")),
            "excerpt": excerpt(row["evidence"]["sentence"], row["evidence"]["trigger"]["text"]),
        }
        for row in rows
    ]
    columns = (
        ("date", "date"),
        ("subject_name", "subject"),
        ("relation", "relation"),
        ("object_name", "object"),
        ("modality", "modality"),
        ("amount_text", "amount"),
        ("excerpt", "evidence"),
        ("document_name", "article"),
    )
    return table(shown, columns, title=title, wrap=("excerpt",))


def run_claims(args: argparse.Namespace) -> int:
    with _graph(args) as graph:
        rows = graph.claims(
            modality=args.modality,
            relation=args.relation,
            entity=args.entity,
            since=_date(args.since),
            until=_date(args.until),
            lang=args.lang,
            limit=args.limit,
        )
    if args.format == "json":
        write_json(rows)
    elif args.format == "csv":
        write_csv(rows)
    else:
        _console().print(_claims_table(rows, f"{len(rows)} claim(s)"))
    return EXIT_OK


def run_timeline(args: argparse.Namespace) -> int:
    with _graph(args) as graph:
        result = graph.timeline(
            args.a, args.b, by=args.by, since=_date(args.since), until=_date(args.until)
        )
    if args.plot:
        from newsgraph.analysis import plot_timeline

        plot_timeline(result, args.plot)
        print(f"{PROG}: wrote {args.plot}", file=sys.stderr)
    if args.format == "json":
        write_json(result)
    elif args.format == "csv":
        write_csv(result["periods"])
    else:
        from newsgraph.render_analysis import timeline_view

        _console().print(timeline_view(result))
    return EXIT_OK


def run_dependencies(args: argparse.Namespace) -> int:
    with _graph(args) as graph:
        result = graph.dependencies(args.name)
    if args.format == "json":
        write_json(result)
    elif args.format == "csv":
        from newsgraph.render_analysis import dependency_rows

        write_csv(dependency_rows(result))
    else:
        from newsgraph.render_analysis import dependencies_view

        _console().print(dependencies_view(result))
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    with _graph(args) as graph:
        written = graph.export(args.format, args.output)
    numbers = {k: v for k, v in written.items() if isinstance(v, int)}
    for name, rows in (written.get("files") or {}).items():
        if isinstance(rows, int):
            numbers[name] = rows
    counts = ", ".join(f"{k} {v}" for k, v in numbers.items())
    print(f"{PROG}: wrote {args.output}" + (f" ({counts})" if counts else ""), file=sys.stderr)
    return EXIT_OK


def _date(value: str | None) -> str | None:
    if value is None:
        return None
    from newsgraph.pipeline import validate_date

    return validate_date(value)


__all__ = ["EXPORT_FORMATS", "add_commands"]
