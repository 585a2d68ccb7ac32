"""Scale-out on Apache Spark (the optional extra ``newsgraph[spark]``).

:mod:`.job` runs the ingest on Spark into Parquet tables; :mod:`.load` brings
them into a store; :mod:`.session` starts Spark.
"""
