"""Entry point for ``spark-submit``: the Spark ingest in the session spark-submit made.

    spark-submit --master yarn [--archives env.tar.gz#env ...] \\
        $(python -c 'import newsgraph.spark.submit as s; print(s.__file__)') \\
        hdfs:///news/ --output hdfs:///tables/ [--lang fr]

Unlike ``newsgraph ingest --engine spark``, it starts no session of its own:
master, executors and the Python to run are spark-submit's configuration.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsgraph-spark-submit", description=__doc__)
    parser.add_argument("paths", nargs="+", help="files, folders or URIs to read")
    parser.add_argument("--output", required=True, help="folder (or URI) of the tables")
    parser.add_argument("--lang", help="language of every article (default: detect)")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    from newsgraph.spark.job import run

    spark = SparkSession.builder.getOrCreate()
    summary = run(args.paths, output=args.output, lang=args.lang, spark=spark)
    print(json.dumps(summary.to_dict(), indent=2))
    return 0 if summary.analysed else 3


if __name__ == "__main__":
    sys.exit(main())
