"""Start Spark for newsgraph: pyspark imported lazily, Java checked first, loopback only.

pyspark is an optional extra (``pip install 'newsgraph[spark]'``); without it,
or without Java 17+, the user gets one line saying what to install rather than
a Py4J traceback. The driver binds to 127.0.0.1 with the UI off, and the
Python workers run this interpreter (``PYSPARK_PYTHON``), so they see the same
packages and models as the driver.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from newsgraph.errors import MissingDependency, UsageError

#: Oldest Java that pyspark 4 runs on.
JAVA_MIN = 17
#: Quiets the JVM's start-up and warning lines (errors still show).
LOG_CONFIG = Path(__file__).resolve().with_name("log4j2.properties")
_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


def java_version(java: str | None = None) -> int | None:
    """The major version of ``java`` (default: $JAVA_HOME/bin/java, else on PATH), or None."""
    if java is None:
        home = os.environ.get("JAVA_HOME")
        java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if not java or not os.path.exists(java):
        return None
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = _VERSION.search(out.stderr + out.stdout)
    if found is None:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major  # "1.8" is Java 8


def check_java() -> None:
    """Raise MissingDependency unless Java 17+ is there."""
    version = java_version()
    if version is None or version < JAVA_MIN:
        what = f"Java {JAVA_MIN} or newer" + ("" if version is None else f" (found {version})")
        raise MissingDependency(
            what, "apt-get install openjdk-17-jre-headless (or set JAVA_HOME to a JDK 17+)"
        )


def import_pyspark() -> Any:
    """The pyspark module, or MissingDependency with the pip line."""
    try:
        import pyspark
    except ImportError as e:
        raise MissingDependency("pyspark", "pip install 'newsgraph[spark]'") from e
    return pyspark


def start(master: str = "local[2]", *, app_name: str = "newsgraph") -> Any:
    """A SparkSession on ``master`` (``local[N]``, ``spark://host:port``, ``yarn``…).

    Raises:
        MissingDependency: pyspark or Java 17+ is missing.
        UsageError: ``master`` is empty.
    """
    if not master.strip():
        raise UsageError("--master is empty; use local[2], spark://HOST:PORT or yarn.")
    import_pyspark()
    check_java()
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.python.worker.reuse", "true")  # models load once per worker
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile={LOG_CONFIG}")
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


__all__ = ["JAVA_MIN", "check_java", "import_pyspark", "java_version", "start"]
