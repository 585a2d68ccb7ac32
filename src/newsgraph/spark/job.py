"""``newsgraph ingest --engine spark``: the same pipeline as the local ingest, on Spark.

1. **Read.** Files are listed and read by Spark's ``binaryFile`` source, so any
   Hadoop-compatible URI works (``file:``, ``hdfs:``, ``s3a:`` with its
   connector). Each file goes through the very readers of the local ingest
   (:mod:`newsgraph.ingest.readers`), in the Python workers; Parquet inputs
   (columns ``text`` or ``html``, and optionally ``id``, ``title``,
   ``published``, ``url``, ``lang``, ``source``) are read as tables.
2. **Deduplicate** by content hash in Spark: the first location of a text
   (in path order) is analysed, every other one is kept as another source.
3. **Analyse** with ``mapInArrow``: each Python worker loads the models once
   (the pipeline is a per-process singleton and workers are reused) and turns
   a batch of articles into the rows the local ingest writes
   (:func:`newsgraph.ingest.run.analyse_tasks`).
4. **Write** Parquet tables with the store's columns — ``documents``,
   ``sources``, ``fingerprints``, ``entities`` (one row per article that
   names the entity, with its ``document_id``: merging is the store's job),
   ``mentions``, ``claims`` — and ``failures``, each partitioned by the
   article's published month (``published_month=YYYY-MM``, or ``undated``).

``newsgraph load DIR`` (:mod:`newsgraph.spark.load`) brings them into a store.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.errors import NoInputs
from newsgraph.ingest.records import RawArticle, Skipped
from newsgraph.store.rows import CLAIM_COLUMNS, ENTITY_COLUMNS, MENTION_COLUMNS

#: The tables written, in the order ``load`` reads them.
TABLES = ("documents", "sources", "fingerprints", "entities", "mentions", "claims", "failures")
PARTITION = "published_month"
UNDATED = "undated"
#: Articles per Arrow batch sent to a worker.
BATCH = 16
#: Failures listed in the summary (the failures table has them all).
LISTED_FAILURES = 1000
_PARQUET_SUFFIX = ".parquet"


@dataclass
class SparkSummary:
    """What a Spark ingest did."""

    output: str
    master: str
    files: int = 0
    read: int = 0
    analysed: int = 0
    duplicates: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)  # the first LISTED_FAILURES
    n_failed: int = 0
    seconds: float = 0.0
    startup_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def run(
    paths: Sequence[str],
    *,
    output: str | os.PathLike[str],
    master: str = "local[2]",
    lang: str | None = None,
    spark: Any = None,
) -> SparkSummary:
    """Ingest ``paths`` with Spark on ``master`` into Parquet tables under ``output``.

    Args:
        paths: files, folders or URIs (``hdfs://…``) of .txt, .html, .jsonl(.gz),
            RSS/Atom, WARC and .parquet.
        output: the folder of the tables (replaced if it exists).
        master: the Spark master, when ``spark`` is not given.
        lang: force the language of every article.
        spark: an existing SparkSession (it is not stopped).

    Raises:
        MissingDependency: pyspark or Java 17+ is missing.
        NoInputs: no readable file among ``paths``.
    """
    from newsgraph.spark.session import start

    started = time.perf_counter()
    own = spark is None
    if own:
        spark = start(master)
    summary = SparkSummary(output=os.fspath(output), master=master)
    summary.startup_seconds = time.perf_counter() - started
    try:
        _run(spark, list(paths), os.fspath(output), lang, summary)
    finally:
        if own:
            spark.stop()
    summary.seconds = time.perf_counter() - started
    return summary


def _run(
    spark: Any, paths: list[str], output: str, lang: str | None, summary: SparkSummary
) -> None:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.types import _parse_datatype_string
    from pyspark.sql.window import Window

    raw = _read(spark, paths, summary)
    raw = raw.persist(StorageLevel.MEMORY_AND_DISK)
    articles = raw.where(F.col("error_code").isNull())
    first = Window.partitionBy("id").orderBy("file", "order")  # path order, then in-file
    ranked = articles.withColumn("copy", F.row_number().over(first))
    unique = ranked.where(F.col("copy") == 1).drop("copy")
    schema = _parse_datatype_string(_analysed_schema())
    partitions = max(1, spark.sparkContext.defaultParallelism)
    analysed = unique.repartition(partitions, "id").mapInArrow(
        _analyse_batches(lang, schema), schema
    )
    analysed = analysed.persist(StorageLevel.MEMORY_AND_DISK)
    month = F.coalesce(F.substring("published", 1, 7), F.lit(UNDATED)).alias(PARTITION)
    ok = analysed.where(F.col("error_code").isNull())

    def write(frame: Any, table: str) -> None:
        frame.write.mode("overwrite").partitionBy(PARTITION).parquet(f"{output}/{table}")

    story = F.lit(None).cast("string").alias("story_id")  # stories are grouped at load time
    write(
        ok.select("id", "name", "title", "lang", F.to_date("published").alias("published"),
                  "url", "site", "text", "warnings", story, month),
        "documents",
    )  # fmt: skip
    # Every place a text was found, the analysed copy's and the duplicates'.
    months = ok.select("id", month)
    write(
        ranked.select(F.col("id").alias("document_id"), "location", "name", "url").join(
            months.withColumnRenamed("id", "document_id"), "document_id"
        ),
        "sources",
    )
    write(
        ok.select(F.col("id").alias("document_id"), "minhash", "embedding", month), "fingerprints"
    )
    # The store's column order; entities keep the article that named them.
    columns = {
        "entities": [*ENTITY_COLUMNS, "document_id"],
        "mentions": list(MENTION_COLUMNS),
        "claims": list(CLAIM_COLUMNS),
    }
    for table, order in columns.items():
        rows = ok.select(F.col("id").alias("_doc"), month, F.explode(table).alias("row"))
        rows = rows.select(F.col("_doc").alias("document_id"), "row.*", PARTITION)
        write(rows.select(*order, PARTITION), table)
    failures = (
        raw.where(F.col("error_code").isNotNull())
        .select(
            "location", F.col("error_code").alias("code"), F.col("error_message").alias("message")
        )
        .unionByName(
            analysed.where(F.col("error_code").isNotNull()).select(
                "location",
                F.col("error_code").alias("code"),
                F.col("error_message").alias("message"),
            )
        )
    )
    failures.withColumn(PARTITION, F.lit(UNDATED)).write.mode("overwrite").partitionBy(
        PARTITION
    ).parquet(f"{output}/failures")

    counts = raw.agg(
        F.count(F.when(F.col("error_code").isNull(), 1)).alias("read"),
        F.countDistinct("file").alias("files"),
    ).first()
    summary.read, summary.files = int(counts["read"]), int(counts["files"])
    summary.analysed = ok.count()
    summary.duplicates = summary.read - unique.count()
    # All failures are in the failures table; the summary lists the first ones.
    summary.n_failed = failures.count()
    listed = failures.orderBy("location").limit(LISTED_FAILURES).collect()
    summary.failed = [row.asDict() for row in listed]
    analysed.unpersist()
    raw.unpersist()


# --- reading ------------------------------------------------------------------------

_RAW_FIELDS = (
    ("file", "string"),
    ("order", "long"),
    ("id", "string"),
    ("text", "string"),
    ("name", "string"),
    ("location", "string"),
    ("title", "string"),
    ("published", "string"),
    ("url", "string"),
    ("lang", "string"),
    ("site", "string"),
    ("warnings", "array<string>"),
    ("error_code", "string"),
    ("error_message", "string"),
)
_RAW_SCHEMA = ", ".join(f"{name} {kind}" for name, kind in _RAW_FIELDS)


def _read(spark: Any, paths: list[str], summary: SparkSummary) -> Any:
    """One row per article read (or per reading failure), with its content hash."""
    from pyspark.sql import functions as F

    parquet = [p for p in paths if p.rstrip("/").endswith(_PARQUET_SUFFIX)]
    others = [p for p in paths if p not in parquet]
    frames = []
    if others:
        files = (
            spark.read.format("binaryFile")
            .option("recursiveFileLookup", "true")
            .option("pathGlobFilter", "[!.]*")
            .load(others)
            .select(F.col("path").alias("file"), "content")
        )
        frames.append(files.mapInPandas(_read_files, _RAW_SCHEMA))
    for path in parquet:
        table = spark.read.parquet(path)
        frames.append(table.mapInPandas(_parquet_reader(path), _RAW_SCHEMA))
    raw = frames[0]
    for frame in frames[1:]:
        raw = raw.unionByName(frame)
    if raw.limit(1).count() == 0:
        raise NoInputs(
            ", ".join(paths),
            kinds="article",
            give=".txt, .html, .jsonl, RSS/Atom, WARC or .parquet files, or folders of them",
        )
    return raw


def _read_files(batches: Iterator[Any]) -> Iterator[Any]:
    """Worker side: each file's bytes through the local ingest's reader of its type."""
    import pandas as pd

    from newsgraph.ingest.readers import _kind, _read_file

    for batch in batches:
        rows: list[dict[str, Any]] = []
        for uri, content in zip(batch["file"], batch["content"], strict=True):
            name = uri.rstrip("/").rsplit("/", 1)[-1]
            if _kind(name) is None:
                continue  # as a folder walk does: files of unknown type are not articles
            with tempfile.TemporaryDirectory(prefix="newsgraph-") as folder:
                local = os.path.join(folder, name)  # same name: same title and date rules
                Path(local).write_bytes(bytes(content))
                for n, item in enumerate(_read_file(local, explicit=False)):
                    rows.append(_raw_row(item, uri=uri, order=n, local=local))
        yield pd.DataFrame(rows, columns=[f for f, _ in _RAW_FIELDS])


def _parquet_reader(path: str) -> Any:
    def read(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        from newsgraph.errors import NewsgraphError
        from newsgraph.ingest.records import iso_date, make_article

        for batch in batches:
            rows = []
            for n, record in enumerate(batch.to_dict("records")):
                location = f"{path}#{record.get('id', n)}"
                try:
                    text = record.get("text") or ""
                    item: RawArticle | Skipped = make_article(
                        text,
                        name=str(record.get("id") or n),
                        location=location,
                        title=record.get("title"),
                        published=iso_date(str(record["published"]))
                        if record.get("published")
                        else None,
                        url=record.get("url"),
                        lang=record.get("lang"),
                        site=record.get("source"),
                    )
                except NewsgraphError as e:
                    item = Skipped.from_error(location, e)
                rows.append(_raw_row(item, uri=path, order=n, local=None))
            yield pd.DataFrame(rows, columns=[f for f, _ in _RAW_FIELDS])

    return read


def _raw_row(
    item: RawArticle | Skipped, *, uri: str, order: int, local: str | None
) -> dict[str, Any]:
    from newsgraph.store.rows import content_hash

    shown = _local_path(uri)

    def located(text: str) -> str:
        return text.replace(local, shown) if local else text

    if isinstance(item, Skipped):
        message = located(item.message)
        # Every column present (an empty list, not a missing value, for arrays).
        return {
            **dict.fromkeys(f for f, _ in _RAW_FIELDS),
            "file": uri,
            "order": order,
            "location": located(item.location),
            "warnings": [],
            "error_code": item.code,
            "error_message": message,
        }
    return {
        "file": uri,
        "order": order,
        "id": content_hash(item.text),
        "text": item.text,
        "name": item.name,
        "location": located(item.location),
        "title": item.title,
        "published": item.published,
        "url": item.url,
        "lang": item.lang,
        "site": item.site,
        "warnings": [located(w) for w in item.warnings],
        "error_code": None,
        "error_message": None,
    }


def _local_path(uri: str) -> str:
    """``file:/a/b%20c.txt`` → ``/a/b c.txt``, as a local ingest names it; other URIs stay."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(uri)
    return unquote(parts.path) if parts.scheme == "file" else uri


# --- analysis -------------------------------------------------------------------------


def _struct(columns: Sequence[str], types: dict[str, str]) -> str:
    return "struct<" + ", ".join(f"`{c}`: {types.get(c, 'string')}" for c in columns) + ">"


_ENTITY_TYPE = _struct(ENTITY_COLUMNS, {"in_kb": "boolean", "aliases": "array<string>"})
_MENTION_TYPE = _struct(
    [c for c in MENTION_COLUMNS if c != "document_id"], {"start": "int", "end": "int"}
)
_CLAIM_TYPE = _struct(
    [c for c in CLAIM_COLUMNS if c != "document_id"],
    {
        "seq": "int",
        "amount_value": "double",
        "tone": "double",
        "confidence": "double",
        **{c: "int" for c in CLAIM_COLUMNS if c.endswith(("_start", "_end"))},
    },
)


def _analysed_schema() -> str:
    return (
        "id string, location string, name string, title string, lang string, "
        "published string, url string, site string, text string, warnings array<string>, "
        f"entities array<{_ENTITY_TYPE}>, mentions array<{_MENTION_TYPE}>, "
        f"claims array<{_CLAIM_TYPE}>, minhash array<long>, embedding array<float>, "
        "error_code string, error_message string"
    )


def _analyse_batches(lang: str | None, schema: Any) -> Any:
    def analyse(batches: Iterator[Any]) -> Iterator[Any]:
        """Worker side: articles in, the local ingest's rows out (one row per article)."""
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        from newsgraph.ingest.run import _Task, analyse_tasks

        arrow = to_arrow_schema(schema)
        for batch in batches:
            records = batch.to_pylist()
            for start in range(0, len(records), BATCH):
                part = records[start : start + BATCH]
                tasks = [_Task(r["id"], _article(r)) for r in part]
                results = analyse_tasks(tasks, lang=lang)
                yield pa.RecordBatch.from_pylist([_analysed_row(r) for r in results], schema=arrow)

    return analyse


def _article(record: dict[str, Any]) -> RawArticle:
    return RawArticle(
        text=record["text"],
        name=record["name"],
        location=record["location"],
        title=record["title"],
        published=record["published"],
        url=record["url"],
        lang=record["lang"],
        site=record["site"],
        warnings=tuple(record["warnings"] or ()),
    )


def _analysed_row(result: Any) -> dict[str, Any]:
    empty: dict[str, Any] = {"entities": [], "mentions": [], "claims": [], "minhash": []}
    if isinstance(result, Skipped):
        return {"location": result.location, "error_code": result.code,
                "error_message": result.message, **empty}  # fmt: skip
    doc = result.document
    published = doc["published"]
    return {
        **{k: doc[k] for k in ("id", "name", "title", "lang", "url", "site", "text")},
        "published": published.isoformat() if hasattr(published, "isoformat") else published,
        "warnings": list(doc["warnings"]),
        "location": result.location,
        "entities": [dict(zip(ENTITY_COLUMNS, e, strict=True)) for e in result.entities],
        "mentions": [dict(zip(MENTION_COLUMNS[1:], m[1:], strict=True)) for m in result.mentions],
        "claims": [
            dict(zip([c for c in CLAIM_COLUMNS if c != "document_id"], (c[0], *c[2:]), strict=True))
            for c in result.claims
        ],
        "minhash": [int(v) for v in result.minhash],
        "embedding": None if result.embedding is None else [float(v) for v in result.embedding],
        "error_code": None,
        "error_message": None,
    }


__all__ = ["PARTITION", "TABLES", "UNDATED", "SparkSummary", "run"]
