"""``newsgraph ingest --engine spark`` and ``newsgraph load``: the Spark path of the CLI."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsgraph.cli_graph import _db, _positive, _print_summary
from newsgraph.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_PARTIAL, UsageError
from newsgraph.render import write_json
from newsgraph.store.db import DEFAULT_DB

PROG = "newsgraph"
LOAD_EPILOG = """\
examples:
  newsgraph ingest articles/ --engine spark --master local[2] --output tables/
  newsgraph load tables/ --db news.duckdb

Reads the Parquet tables written by `newsgraph ingest --engine spark` one
published month at a time and writes them as a local ingest does (same entity
merging, same story grouping). Loading the same tables twice adds nothing.
Needs pyarrow only, not Spark."""


def add_command(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    """Add ``load`` to the ``newsgraph`` sub-parsers."""
    load = commands.add_parser(
        "load",
        help="bring the tables of a Spark ingest into the graph store",
        description="Load the Parquet tables of `ingest --engine spark` into a store.",
        epilog=LOAD_EPILOG,
        formatter_class=formatter,
    )
    load.add_argument("folder", metavar="DIR", help="the --output folder of the Spark ingest")
    _db(load)
    load.add_argument(
        "--batch-size", type=_positive, default=64, help="articles per transaction (default 64)"
    )
    load.add_argument("--format", choices=("table", "json"), default="table")
    load.set_defaults(handler=run_load)


def run_spark_ingest(args: argparse.Namespace) -> int:
    """``ingest --engine spark``: the Spark job, its summary, its failures on stderr."""
    from newsgraph.spark.job import run

    if not args.output:
        raise UsageError("--engine spark writes Parquet tables: give --output DIR.")
    if args.db != DEFAULT_DB:
        raise UsageError(
            "--engine spark writes to --output, not to a store; "
            "load the tables with `newsgraph load DIR --db FILE`."
        )
    summary = run(args.paths, output=args.output, master=args.master, lang=args.lang)
    for failure in summary.failed:
        print(f"{PROG}: {failure['message']}", file=sys.stderr)
    if summary.n_failed > len(summary.failed):
        more = summary.n_failed - len(summary.failed)
        print(f"{PROG}: … and {more} more in {summary.output}/failures", file=sys.stderr)
    if args.format == "json":
        write_json(summary.to_dict())
    else:
        rate = summary.analysed / summary.seconds if summary.seconds else 0.0
        print(
            f"{PROG}: spark {summary.master}: {summary.files} files, read {summary.read}, "
            f"analysed {summary.analysed} ({rate:.1f}/s, start-up "
            f"{summary.startup_seconds:.1f} s), duplicates {summary.duplicates}, "
            f"failed {summary.n_failed}",
            file=sys.stderr,
        )
        print(
            f"{PROG}: tables in {summary.output}; load them with "
            f"`newsgraph load {summary.output} --db FILE`",
            file=sys.stderr,
        )
    if summary.analysed == 0:
        return EXIT_BAD_INPUT
    return EXIT_PARTIAL if summary.failed else EXIT_OK


def run_load(args: argparse.Namespace) -> int:
    from newsgraph.spark.load import load

    summary = load(args.folder, db=args.db, batch_size=args.batch_size)
    if args.format == "json":
        write_json(summary.to_dict())
    else:
        _print_summary(summary, args.db)
    return EXIT_OK


__all__ = ["add_command", "run_load", "run_spark_ingest"]
