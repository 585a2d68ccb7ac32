"""The ``newsgraph`` command: thin wrappers that parse arguments and call the library.

Exit codes are those of :mod:`newsgraph.errors` (0 ok, 1 some inputs failed,
2 usage, 3 all inputs failed or bad input, 4 bad gold file, 70 internal error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    NewsgraphError,
    NoInputs,
)
from .ingest.records import date_in_name
from .pipeline import validate_date
from .render import amount_text, excerpt

PROG = "newsgraph"
_EXCERPT = 90

ANALYZE_EPILOG = """\
examples:
  newsgraph analyze article.txt
  newsgraph analyze articles/ --format jsonl > graph.jsonl
  cat article.txt | newsgraph analyze - --lang fr --published 2025-06-17

A folder is read recursively (*.txt files); the doc id is the file name
without its extension. In a batch, an unreadable file is reported on stderr
and skipped. Exit codes: 0 ok, 1 some files failed, 2 usage error,
3 every file failed."""

EVAL_EPILOG = """\
examples:
  newsgraph eval eval/dev/gold.jsonl --articles eval/dev/articles
  newsgraph eval gold_fr.jsonl gold_en.jsonl --articles corpus/ --details
  newsgraph eval gold.jsonl --articles corpus/ --format json > scores.json

The text of gold record <id> is read from DIR/<id>.txt. Exit codes: 0 ok,
1 some articles missing or failed (the others are scored), 3 missing gold
file or folder, 4 malformed gold file."""

MAIN_EPILOG = """\
examples:
  newsgraph analyze article.txt
  newsgraph ingest articles/ feed.xml crawl.warc.gz      # into newsgraph.duckdb
  newsgraph timeline Microsoft OpenAI --by quarter
  newsgraph edges --between Microsoft OpenAI
  newsgraph export --format graphml -o graph.graphml
  newsgraph eval eval/dev/gold.jsonl --articles eval/dev/articles

Run `newsgraph COMMAND --help` for the options of a command.
Set NEWSGRAPH_DEBUG=1 to see the traceback of an internal error."""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsgraph")
    except PackageNotFoundError:  # run from a source tree without an install
        from . import __version__

        return str(__version__)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``newsgraph`` command and its subcommands."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Extract a knowledge graph of relations between organisations "
        "from news in French, English and Spanish.",
        epilog=MAIN_EPILOG,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyze = commands.add_parser(
        "analyze",
        help="extract claims from articles",
        description="Extract the claims (relations between organisations) of articles.",
        epilog=ANALYZE_EPILOG,
        formatter_class=formatter,
    )
    analyze.add_argument(
        "paths", nargs="+", metavar="PATH", help="a .txt file, a folder of them, or - for stdin"
    )
    analyze.add_argument("--lang", help="language of the articles (fr, en, es); default: detect")
    analyze.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="publication date of the articles (default: a date that starts the file name)",
    )
    analyze.add_argument(
        "--format",
        choices=("table", "jsonl"),
        default="table",
        help="a table of claims per article (default), or one JSON object per line",
    )
    analyze.set_defaults(handler=run_analyze)

    evaluate = commands.add_parser(
        "eval",
        help="score the extraction against gold files",
        description="Run the pipeline on annotated articles and print edge, claim, "
        "amount and linking scores per language (ONTOLOGY.md).",
        epilog=EVAL_EPILOG,
        formatter_class=formatter,
    )
    evaluate.add_argument("gold", nargs="+", metavar="GOLD.jsonl", help="gold JSON Lines files")
    evaluate.add_argument(
        "--articles", required=True, metavar="DIR", help="folder holding <id>.txt per gold record"
    )
    evaluate.add_argument(
        "--details", action="store_true", help="list false positives and negatives per article"
    )
    evaluate.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )
    evaluate.set_defaults(handler=run_eval)

    from .cli_graph import add_commands

    add_commands(commands, formatter)
    from .cli_serve import add_command as add_serve

    add_serve(commands, formatter)
    from .cli_spark import add_command as add_load

    add_load(commands, formatter)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``newsgraph`` command; returns its exit code (also when called by tests)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version and usage errors (2)
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return handler(args)
    except NewsgraphError as e:
        _error(e.describe())
        return e.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`newsgraph analyze … | head`).
        _silence_stdout()
        return EXIT_OK
    except Exception as e:
        if _debug():
            raise
        _error(f"error: {_internal(e)}")
        return EXIT_INTERNAL


# --- analyze -------------------------------------------------------------------


def run_analyze(args: argparse.Namespace) -> int:
    """``newsgraph analyze``: analyse each input, print it, report failures."""
    from .reader import iter_inputs, read_text_file

    published = validate_date(args.published) if args.published else None
    inputs = list(iter_inputs(args.paths))
    if not inputs:
        raise NoInputs(", ".join(args.paths))
    from .pipeline import analyze

    console = _console() if args.format == "table" else None
    done = failed = internal = 0
    for doc_id, path in inputs:
        try:
            text, warnings = read_text_file(path)
            doc = analyze(
                text, lang=args.lang, published=published or date_in_name(doc_id), doc_id=doc_id
            )
        except NewsgraphError as e:
            failed += 1
            _error(_describe(e, "<stdin>" if path == "-" else path))
            continue
        except (KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as e:
            if _debug():
                raise
            failed += 1
            internal += 1
            _error(f"error: {path}: {_internal(e)}")
            continue
        doc.warnings[:0] = [w for w in warnings if w not in doc.warnings]
        for warning in doc.warnings:
            print(f"{PROG}: warning {doc_id}: {warning}", file=sys.stderr)
        if console is None:
            print(json.dumps(doc.to_dict(), ensure_ascii=False), flush=True)
        else:
            console.print(claims_table(doc.to_dict(), width=console.width))
        done += 1
    print(f"{PROG}: {done} analysed, {failed} failed", file=sys.stderr)
    if failed == 0:
        return EXIT_OK
    if done:
        return EXIT_PARTIAL
    return EXIT_INTERNAL if internal == failed else EXIT_BAD_INPUT


def claims_table(doc: dict[str, Any], *, width: int = 120) -> Any:
    """A Rich table of the claims of one article (its JSON output).

    Narrower than 110 columns, the evidence excerpts are listed under the table.
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    names = {e["id"]: e["name"] for e in doc.get("entities", [])}
    claims = doc.get("claims", [])
    title = f"{doc['id']} ({doc.get('lang') or '?'}) — {len(claims)} claim(s)"
    if doc.get("title"):
        title += f": {doc['title']}"
    inline = width >= 110
    table = Table(title=Text(title), title_justify="left", show_lines=inline)
    if not claims:
        table.caption = "no claim found"
    if not inline:
        table.add_column("#", justify="right")
    table.add_column("subject", max_width=24)
    table.add_column("relation", no_wrap=True)
    table.add_column("object", max_width=24)
    for column in ("modality", "amount", "date"):
        table.add_column(column, no_wrap=True)
    if inline:
        table.add_column("evidence", ratio=1, min_width=20)
    excerpts: list[Text] = []
    for number, claim in enumerate(claims, start=1):
        excerpt = _excerpt(claim.get("evidence") or {})
        cells: list[Any] = [
            Text(names.get(claim["subject"], claim["subject"])),
            claim["relation"],
            Text(names.get(claim["object"], claim["object"])),
            claim["modality"],
            amount_text(claim.get("amount")),
            claim.get("date") or "",
        ]
        if inline:
            table.add_row(*cells, Text(excerpt))
        else:
            table.add_row(str(number), *cells)
            excerpts.append(Text(f"{number:>3}. {excerpt}"))
    return Group(table, *excerpts) if excerpts else table


def _excerpt(evidence: dict[str, Any]) -> str:
    trigger = (evidence.get("trigger") or {}).get("text") or ""
    return excerpt(str(evidence.get("sentence") or ""), trigger, width=_EXCERPT)


# --- eval ----------------------------------------------------------------------


def run_eval(args: argparse.Namespace) -> int:
    """``newsgraph eval``: score the pipeline on gold files and print the report."""
    from .evaluate import evaluate
    from .evaluate_tables import report_tables

    def warn(doc_id: str, error: NewsgraphError) -> None:
        _error(_describe(error, doc_id))

    report = evaluate(args.gold, args.articles, on_problem=warn)
    if args.format == "json":
        print(json.dumps(report.to_dict(details=args.details), ensure_ascii=False, indent=2))
    else:
        console = _console()
        for table in report_tables(report, details=args.details):
            console.print(table)
    scored, missing, failed = len(report.articles), len(report.missing), len(report.failed)
    _error(f"{scored} article(s) scored ({failed} failed analysis), {missing} missing")
    if scored == 0:
        return EXIT_BAD_INPUT
    return EXIT_PARTIAL if missing or failed else EXIT_OK


# --- helpers -------------------------------------------------------------------


def _console() -> Any:
    from rich.console import Console

    console = Console(file=sys.stdout, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 120  # a file or a pipe: tables need more than the default 80
    return console


def _error(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _describe(error: NewsgraphError, source: str) -> str:
    """``error E00X: message``, naming ``source`` when the message does not."""
    if source in error.message:
        return error.describe()
    return f"error {error.code}: {source}: {error.message}"


def _internal(e: BaseException) -> str:
    detail = " ".join(str(e).split())[:200]
    return (
        f"internal error ({type(e).__name__}: {detail}); this is a bug, "
        "rerun with NEWSGRAPH_DEBUG=1 to see the traceback and report it."
    )


def _debug() -> bool:
    return os.environ.get("NEWSGRAPH_DEBUG", "") not in ("", "0")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
