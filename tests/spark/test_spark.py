"""The Spark path: ``ingest --engine spark`` on local[2], then ``load``, equals a local ingest.

The slow tests share one Spark session (about 6 s to start; each job's Python
workers load the models once). They need pyspark (the ``spark`` extra) and
Java 17+, which ``make install`` and ``.ci/run`` provide; elsewhere they skip.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.cli import main
from newsgraph.errors import EXIT_USAGE, FileNotReadable, MissingDependency
from newsgraph.spark import session
from newsgraph.spark.job import PARTITION, TABLES
from newsgraph.spark.load import load
from newsgraph.store import Store

DEMO = Path(__file__).resolve().parents[2] / "src" / "newsgraph" / "demo"
MINI = Path(__file__).resolve().parents[1] / "data" / "mini_corpus"

#: Tables compared row for row with a local ingest of the same absolute paths.
SAME = {
    "sources": "document_id, location",
    "claims": "id",
    "documents": "id",
    "entities": "id",
    "entity_keys": "key, entity_id",
    "mentions": 'document_id, start, "end", entity_id',
    "fingerprints": "document_id",
    "stories": "id",
}


# --- start-up checks (fast) ------------------------------------------------------------


def fake_java(tmp_path: Path, banner: str) -> str:
    java = tmp_path / "java"
    java.write_text(f"#!/bin/sh\necho '{banner}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    return str(java)


@pytest.mark.parametrize(
    ("banner", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_392"', 8),
        ("no version here", None),
    ],
)
def test_java_version_is_read_from_the_banner(
    tmp_path: Path, banner: str, major: int | None
) -> None:
    assert session.java_version(fake_java(tmp_path, banner)) == major


def test_old_or_missing_java_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "jdk"
    (home / "bin").mkdir(parents=True)
    fake = Path(fake_java(tmp_path, 'java version "1.8.0_392"'))
    shutil.copy(fake, home / "bin" / "java")
    monkeypatch.setenv("JAVA_HOME", str(home))
    with pytest.raises(MissingDependency) as found:
        session.check_java()
    assert "Java 17 or newer (found 8)" in str(found.value)
    assert "openjdk-17-jre-headless" in str(found.value)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    with pytest.raises(MissingDependency, match="Java 17 or newer is not installed"):
        session.check_java()


def test_missing_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # makes `import pyspark` fail
    with pytest.raises(MissingDependency, match=r"pip install 'newsgraph\[spark\]'"):
        session.import_pyspark()


def test_spark_ingest_needs_an_output_folder_and_no_store(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ingest", str(MINI), "--engine", "spark"]) == EXIT_USAGE
    assert "--output DIR" in capsys.readouterr().err
    code = main(["ingest", str(MINI), "--engine", "spark", "--output", "t", "--db", "x.duckdb"])
    assert code == EXIT_USAGE
    assert "newsgraph load" in capsys.readouterr().err


def test_load_refuses_what_is_not_spark_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", str(tmp_path / "none"), "--db", str(tmp_path / "s.duckdb")]) == 3
    assert "E007" in capsys.readouterr().err
    with pytest.raises(FileNotReadable, match="not the output of ingest --engine spark"):
        load(tmp_path, db=tmp_path / "s.duckdb")
    assert not (tmp_path / "s.duckdb").exists()


# --- the Spark path (slow) ----------------------------------------------------------


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    try:
        session.import_pyspark()
        session.check_java()
    except MissingDependency as e:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Spark tests: {e}")
        pytest.skip(str(e))
    started = session.start("local[2]", app_name="newsgraph-tests")
    yield started
    started.stop()


def table_rows(db: Path, table: str, order: str) -> list[tuple[Any, ...]]:
    with Store.open(db, read_only=True) as store:
        return store.con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()


@pytest.mark.slow
def test_spark_on_the_demo_corpus_equals_the_local_ingest(
    spark: Any, demo_db: Path, tmp_path: Path
) -> None:
    from newsgraph.spark.job import run

    summary = run([str(DEMO)], output=tmp_path / "tables", spark=spark)
    files = len(list(DEMO.glob("*.txt")))
    assert (summary.files, summary.read, summary.analysed) == (files, files, files)
    assert summary.failed == [] and summary.duplicates == 0
    for table in TABLES:
        assert (tmp_path / "tables" / table).is_dir(), table
    months = {p.name for p in (tmp_path / "tables" / "claims").iterdir() if p.is_dir()}
    assert f"{PARTITION}=2019-07" in months and f"{PARTITION}=2025-06" in months

    db = tmp_path / "spark.duckdb"
    loaded = load(tmp_path / "tables", db=db)
    assert loaded.analysed == files and loaded.failed == []
    for table, order in SAME.items():
        spark_rows, local_rows = table_rows(db, table, order), table_rows(demo_db, table, order)
        assert len(spark_rows) == len(local_rows) > 0, table
        assert spark_rows == local_rows, table


@pytest.mark.slow
def test_every_format_copies_and_failures_as_a_local_ingest_and_loading_twice(
    spark: Any, tmp_path: Path
) -> None:
    from tests.ingest.builders import EN, EN2, ES, page, warc_bytes

    from newsgraph.ingest.run import ingest
    from newsgraph.spark.job import run

    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus / "a")
    (corpus / "b").mkdir()
    copy = sorted(MINI.glob("*.txt"))[0]
    shutil.copy(copy, corpus / "b" / ("copy_" + copy.name))  # same text, another place
    (corpus / "b" / "broken.jsonl").write_text('{"id": 1, "text": "Apple sues Samsung."}\n{oops\n')
    (corpus / "b" / "notes.md").write_text("not an article type: ignored in a folder")
    (corpus / "c").mkdir()
    (corpus / "c" / "airbus.html").write_text(page("Airbus order", [EN, EN2]))
    crawl = [
        ("https://example.test/eco/airbus", "text/html", page("Airbus", [EN, EN2])),
        ("https://example.test/es/telefonica", "text/html", page("Telefónica", [ES])),
    ]
    (corpus / "c" / "crawl.warc.gz").write_bytes(warc_bytes(crawl, gzipped=True))

    summary = run([str(corpus)], output=tmp_path / "tables", spark=spark)
    local_db = tmp_path / "local.duckdb"
    local = ingest([str(corpus)], db=str(local_db), processes=1)
    assert (summary.read, summary.analysed) == (local.read, local.analysed) == (15, 14)
    assert summary.duplicates == local.duplicates == 1 and summary.n_failed == 1
    assert [f["code"] for f in summary.failed] == [s.code for s in local.skipped] == ["E013"]
    assert summary.failed[0]["location"].endswith("broken.jsonl:2")

    db = tmp_path / "spark.duckdb"
    first = load(tmp_path / "tables", db=db)
    assert (first.analysed, first.duplicates, len(first.failed)) == (14, 1, 1)
    for table, order in SAME.items():
        assert table_rows(db, table, order) == table_rows(local_db, table, order), table
    with Store.open(db, read_only=True) as store:
        counts = store.counts()
    again = load(tmp_path / "tables", db=db)
    assert (again.analysed, again.already_stored) == (0, 14)
    with Store.open(db, read_only=True) as store:
        assert store.counts() == counts


@pytest.mark.slow
def test_parquet_input_through_spark_submit_s_entry_point(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``newsgraph.spark.submit`` runs in the session spark-submit made (here, the test's)."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsgraph.spark import submit

    table = pa.table(
        {
            "id": ["a1", "a2", "a3"],
            "text": [
                "Microsoft invested $10bn in OpenAI on Monday.",
                "Apple sued Samsung over patents.",
                "",
            ],
            "published": ["2023-01-23", "2024-05-02", None],
            "lang": ["en", "en", "en"],
        }
    )
    pq.write_table(table, tmp_path / "news.parquet")
    output = str(tmp_path / "tables")
    assert submit.main([str(tmp_path / "news.parquet"), "--output", output]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["read"], summary["analysed"]) == (2, 2)
    assert [f["code"] for f in summary["failed"]] == ["E001"]  # the empty text
    assert not spark.sparkContext._jsc.sc().isStopped()  # not its session to stop
    db = tmp_path / "p.duckdb"
    load(tmp_path / "tables", db=db)
    with Store.open(db, read_only=True) as store:
        relations = {r for (r,) in store.con.execute("SELECT relation FROM claims").fetchall()}
    assert {"INVESTS_IN", "SUES"} <= relations


def test_cli_reports_a_spark_run_and_loads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI around the job, with the job replaced: its summary and exit codes."""
    from newsgraph.spark import job

    def fake_run(paths: list[str], **options: Any) -> job.SparkSummary:
        summary = job.SparkSummary(output=str(options["output"]), master=options["master"])
        summary.files, summary.read, summary.analysed, summary.seconds = 3, 3, 2, 2.0
        summary.failed = [{"location": "x.jsonl:2", "code": "E013", "message": "E013: bad"}]
        summary.n_failed = 1001
        return summary

    monkeypatch.setattr(job, "run", fake_run)
    code = main(["ingest", "a/", "--engine", "spark", "--master", "local[1]", "--output", "t"])
    assert code == 1  # partial: one failure
    err = capsys.readouterr().err
    assert "spark local[1]: 3 files, read 3, analysed 2" in err and "E013: bad" in err
    assert "newsgraph load t --db FILE" in err
    assert "failed 1001" in err and "… and 1000 more in t/failures" in err


@pytest.mark.slow
def test_the_tables_have_the_store_s_columns(spark: Any, tmp_path: Path) -> None:
    import pyarrow.dataset as ds

    from newsgraph.spark.job import run

    run([str(MINI)], output=tmp_path / "tables", spark=spark)
    store_db = tmp_path / "empty.duckdb"
    Store.open(store_db).close()
    with Store.open(store_db, read_only=True) as store:
        for table in ("documents", "sources", "fingerprints", "entities", "mentions", "claims"):
            columns = [r[0] for r in store.con.execute(f"DESCRIBE {table}").fetchall()]
            parquet = ds.dataset(tmp_path / "tables" / table, partitioning="hive").schema.names
            extra = ["document_id"] if table == "entities" else []  # merged at load time
            assert parquet == [*columns, *extra, PARTITION], table
