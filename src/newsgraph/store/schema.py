"""The DuckDB schema of the store, its version, and the migrations between versions.

A store records its schema version in ``meta``. Opening an older store applies
the missing migrations in one transaction; a store from a newer newsgraph is
refused (StoreTooNew) rather than misread. Views are recreated from the code on
every writable open, so a change of relation classes needs no migration.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsgraph.model import RELATIONS

#: The schema this code writes and reads.
SCHEMA_VERSION = 1

TABLES_V1 = """
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
-- One row per distinct article text; the id is a hash of the text.
CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    title VARCHAR,
    lang VARCHAR,
    published DATE,
    url VARCHAR,
    site VARCHAR,
    text VARCHAR NOT NULL,
    warnings VARCHAR[] NOT NULL,
    story_id VARCHAR
);
-- Every place an article was found: a duplicate adds a source, not a document.
CREATE TABLE IF NOT EXISTS sources (
    document_id VARCHAR NOT NULL,
    location VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    url VARCHAR,
    PRIMARY KEY (document_id, location)
);
-- What story grouping compares: a MinHash of the words, an embedding of the lead.
CREATE TABLE IF NOT EXISTS fingerprints (
    document_id VARCHAR PRIMARY KEY,
    minhash UBIGINT[] NOT NULL,
    embedding FLOAT[]
);
CREATE TABLE IF NOT EXISTS entities (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    qid VARCHAR,
    in_kb BOOLEAN NOT NULL,
    aliases VARCHAR[] NOT NULL
);
-- Folded names, aliases and surface forms (text.norm_key) to find an entity by name.
CREATE TABLE IF NOT EXISTS entity_keys (
    key VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    PRIMARY KEY (key, entity_id)
);
CREATE TABLE IF NOT EXISTS mentions (
    document_id VARCHAR NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    PRIMARY KEY (document_id, start, "end", entity_id)
);
CREATE TABLE IF NOT EXISTS claims (
    id VARCHAR PRIMARY KEY,
    document_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    subject VARCHAR NOT NULL,
    relation VARCHAR NOT NULL,
    object VARCHAR NOT NULL,
    modality VARCHAR NOT NULL,
    amount_value DOUBLE,
    amount_currency VARCHAR,
    amount_bound VARCHAR,
    date VARCHAR,  -- ISO date of the event as the text gives it: YYYY-MM-DD, YYYY-MM or YYYY
    tone DOUBLE NOT NULL,
    confidence DOUBLE NOT NULL,
    sentence VARCHAR NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    trigger VARCHAR NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    subject_start INTEGER NOT NULL,
    subject_end INTEGER NOT NULL,
    object_start INTEGER NOT NULL,
    object_end INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY,
    title VARCHAR,
    first_published DATE,
    last_published DATE,
    n_documents INTEGER NOT NULL,
    langs VARCHAR[] NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_subject ON claims (subject);
CREATE INDEX IF NOT EXISTS claims_object ON claims (object);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity_id);
"""

# Modality strength for edges: asserted > reported > speculative > negated.
MODALITY_RANK = {"asserted": 0, "reported": 1, "speculative": 2, "negated": 3}


def _case(column: str, mapping: dict[str, Any], default: str) -> str:
    whens = " ".join(f"WHEN '{key}' THEN {value}" for key, value in mapping.items())
    return f"CASE {column} {whens} ELSE {default} END"


def views_sql() -> str:
    """The views over the tables, generated from the relation specs of the contract.

    - ``claim_facts``: each claim with its effective day (its date — the
      first day of a month or year given alone — else the article's), its
      story, its cooperation/conflict class, and the edge key (subject and
      object ordered for symmetric relations);
    - ``story_claims``: one row per (story, edge key) with the strongest
      modality: a story's repeated claims count once, with all their sources kept;
    - ``edges``: the ONTOLOGY's edge, the claims of a (subject, relation, object).
    """
    symmetric = ", ".join(f"'{name}'" for name, spec in RELATIONS.items() if spec.symmetric)
    klass = _case("c.relation", {n: f"'{s.klass}'" for n, s in RELATIONS.items()}, "'neutral'")
    rank = _case("c.modality", MODALITY_RANK, "3")
    swap = f"(c.relation IN ({symmetric}) AND c.object < c.subject)"
    return f"""
CREATE OR REPLACE VIEW claim_facts AS
SELECT c.*,
       coalesce(try_cast(c.date AS DATE), try_cast(c.date || '-01' AS DATE),
                try_cast(c.date || '-01-01' AS DATE), d.published) AS day,
       coalesce(d.story_id, d.id) AS story_id,
       d.published, d.lang, d.name AS document_name, d.title AS document_title,
       CASE WHEN {swap} THEN c.object ELSE c.subject END AS key_subject,
       CASE WHEN {swap} THEN c.subject ELSE c.object END AS key_object,
       {klass} AS class,
       {rank} AS strength
FROM claims c JOIN documents d ON d.id = c.document_id;

CREATE OR REPLACE VIEW story_claims AS
SELECT story_id, key_subject AS subject, relation, key_object AS object, class,
       arg_min(modality, strength) AS modality, min(strength) AS strength,
       min(day) AS day, avg(tone) AS tone, max(confidence) AS confidence,
       max(amount_value) AS amount_value, any_value(amount_currency) AS amount_currency,
       count(*) AS n_claims, count(DISTINCT document_id) AS n_documents,
       list(id ORDER BY id) AS claim_ids
FROM claim_facts
GROUP BY story_id, key_subject, relation, key_object, class;

CREATE OR REPLACE VIEW edges AS
SELECT key_subject AS subject, relation, key_object AS object, class,
       count(*) AS n_claims,
       count(DISTINCT story_id) AS n_stories,
       count(DISTINCT document_id) AS n_documents,
       min(day) AS first_date, max(day) AS last_date,
       arg_min(modality, strength) AS modality,
       max(amount_value) AS max_amount,
       list_distinct(list(modality)) AS modalities
FROM claim_facts
GROUP BY key_subject, relation, key_object, class;
"""


Migration = Callable[[Any], None]

#: MIGRATIONS[n] takes a store at version n to version n + 1. It runs inside the
#: transaction that also records the new version, so it is all or nothing.
MIGRATIONS: dict[int, Migration] = {}


__all__ = ["MIGRATIONS", "MODALITY_RANK", "SCHEMA_VERSION", "TABLES_V1", "views_sql"]
