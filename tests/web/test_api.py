"""The HTTP API and the pages through httpx (Starlette's TestClient): every route's
answers and errors, body limits, read-only and ingest modes, security headers,
CORS, path traversal and escaping of attacker-controlled text.

Tests over an empty store are fast; those over the mini-corpus store (or that
run the pipeline) are marked ``slow``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import anyio
import pytest
from fastapi.testclient import TestClient

from newsgraph.errors import StoreMissing
from newsgraph.store import Store
from newsgraph.web import create_app
from newsgraph.web.assets import vendor_file

WEB = Path(__file__).resolve().parents[2] / "src" / "newsgraph" / "web"
MICROSOFT, OPENAI, FTC = "Q2283", "Q21708200", "Q1046820"


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """A store without documents."""
    path = tmp_path / "empty.duckdb"
    Store.open(path).close()
    return path


@pytest.fixture
def empty(empty_db: Path) -> Iterator[TestClient]:
    """A client of a read-only app over the empty store."""
    with TestClient(create_app(empty_db)) as client:
        yield client


@pytest.fixture(scope="module")
def api(mini_store_path: Path) -> Iterator[TestClient]:
    """A client of a read-only app over the mini-corpus store."""
    with TestClient(create_app(mini_store_path)) as client:
        yield client


@pytest.fixture
def con(mini_store: Any) -> Any:
    return mini_store.con


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The JSON error body of ``response``, checked to be ``status`` and ``code``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def assert_secure(response: Any) -> None:
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


# --- raw ASGI calls: exact paths, chunked bodies -------------------------------------


@dataclass
class Raw:
    status: int
    headers: dict[str, str]
    body: bytes
    chunks_read: int


def call_asgi(
    app: Any,
    method: str,
    path: str,
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    chunks: list[bytes] | None = None,
) -> Raw:
    """Call ``app`` with ``path`` as is (no client-side normalisation of ``..``) and
    the body sent in ``chunks``; says how many chunks the app read."""
    pending = chunks or [b""]

    async def run() -> Raw:
        done = anyio.Event()
        read = 0
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            nonlocal read
            if read < len(pending):
                read += 1
                return {
                    "type": "http.request",
                    "body": pending[read - 1],
                    "more_body": read < len(pending),
                }
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        raw_path, _, query = path.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": unquote(raw_path),
            "raw_path": raw_path.encode(),
            "root_path": "",
            "query_string": query.encode(),
            "headers": [(b"host", b"testserver"), *(headers or [])],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "state": {},
        }
        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        found = {k.decode(): v.decode() for k, v in start["headers"]}
        return Raw(start["status"], found, body, read)

    return anyio.run(run)


# --- app creation -------------------------------------------------------------------


def test_a_missing_store_is_refused_unless_uploads_are_allowed(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    with pytest.raises(StoreMissing) as raised:
        create_app(missing)
    assert raised.value.code == "E021"
    assert not missing.exists()

    app = create_app(missing, allow_ingest=True)
    assert missing.exists()
    with TestClient(app) as client:
        stats = client.get("/api/stats").json()
    assert stats["read_only"] is False and stats["store"] == "missing.duckdb"
    assert set(stats["counts"].values()) == {0}


def test_the_store_is_closed_with_the_app(empty_db: Path) -> None:
    app = create_app(empty_db)
    with TestClient(app) as client:
        assert client.get("/api/stats").status_code == 200
    # closed on shutdown: DuckDB would refuse to open it for writing in this process
    # while the app's read-only connection is open
    with Store.open(empty_db) as store:
        assert store.counts()["documents"] == 0


# --- reading the store -------------------------------------------------------------


@pytest.mark.slow
def test_stats(api: TestClient, con: Any) -> None:
    response = api.get("/api/stats")
    assert response.status_code == 200
    body = response.json()
    assert body["read_only"] is True
    assert body["store"] == "mini.duckdb"
    for table, n in body["counts"].items():
        assert n == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    assert body["counts"]["documents"] == 10


@pytest.mark.slow
def test_search_finds_the_start_of_a_name_first(api: TestClient) -> None:
    hits = api.get("/api/entities", params={"q": "micro"}).json()
    assert [h["name"] for h in hits] == ["Microsoft", "Microsoft Azure"]
    assert hits[0] == {
        "id": MICROSOFT,
        "name": "Microsoft",
        "type": "ORG",
        "qid": MICROSOFT,
        "matched": "microsoft",
        "n_claims": hits[0]["n_claims"],
    }
    assert hits[0]["n_claims"] > 0
    assert len(api.get("/api/entities", params={"q": "o", "limit": 2}).json()) == 2
    assert api.get("/api/entities", params={"q": ""}).json() == []
    assert api.get("/api/entities", params={"q": "no such thing"}).json() == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "entity", "matched"),
    [
        ("MSFT", MICROSOFT, "msft"),  # an alias
        ("comisión federal", FTC, "comision federal de comercio"),  # a Spanish alias, accents
        ("COMMISSION FÉDÉRALE", FTC, "commission federale du commerce"),
        ("ftc", FTC, "ftc"),
        ("open ai", OPENAI, "open ai"),
    ],
)
def test_search_by_alias(api: TestClient, query: str, entity: str, matched: str) -> None:
    hits = api.get("/api/entities", params={"q": query}).json()
    assert (hits[0]["id"], hits[0]["matched"]) == (entity, matched)


@pytest.mark.slow
def test_entity_detail_by_name_alias_or_id(api: TestClient) -> None:
    detail = api.get("/api/entities/Microsoft").json()
    assert (detail["id"], detail["name"], detail["type"], detail["in_kb"]) == (
        MICROSOFT,
        "Microsoft",
        "ORG",
        True,
    )
    assert "MSFT" in detail["aliases"]
    assert {"text": "Microsoft", "count": detail["mentions"][0]["count"]} in detail["mentions"]
    assert {"INVESTS_IN", "COMPETES_WITH", "INVESTIGATES"} <= set(detail["edges"])
    (invests,) = detail["edges"]["INVESTS_IN"]
    assert (invests["subject"], invests["object"], invests["class"]) == (
        MICROSOFT,
        OPENAI,
        "cooperation",
    )
    assert invests["max_amount"] == 1e9
    for relation, edges in detail["edges"].items():
        for edge in edges:
            assert edge["relation"] == relation
            assert MICROSOFT in (edge["subject"], edge["object"])
            assert edge["modality"] in ("asserted", "reported", "speculative", "negated")
    assert detail["n_claims"] >= sum(e["n_claims"] for es in detail["edges"].values() for e in es)

    for other in ("MSFT", "microsoft corporation", MICROSOFT):
        assert api.get(f"/api/entities/{quote(other)}").json() == detail
    ftc = api.get("/api/entities/" + quote("Comisión Federal de Comercio")).json()
    assert ftc["id"] == FTC
    assert api.get("/api/entities/kb:microsoft-azure").json()["name"] == "Microsoft Azure"


@pytest.mark.slow
def test_graph_has_the_centre_and_typed_edges(api: TestClient) -> None:
    graph = api.get("/api/entities/OpenAI/graph").json()
    centre = graph["nodes"][0]
    assert (centre["id"], centre["centre"], centre["name"]) == (OPENAI, True, "OpenAI")
    assert graph["entity"]["id"] == OPENAI
    assert graph["partners"] == len(graph["nodes"]) - 1 >= 4
    assert sum(n["centre"] for n in graph["nodes"]) == 1
    assert graph["edges"]
    for edge in graph["edges"]:
        assert edge["class"] in ("cooperation", "conflict", "neutral")
        assert edge["modality"] in ("asserted", "reported", "speculative", "negated")
        assert OPENAI in (edge["subject"], edge["object"])
        assert edge["id"] == f"{edge['subject']}|{edge['relation']}|{edge['object']}"
    modalities = {(e["relation"], e["modality"]) for e in graph["edges"]}
    assert ("SUES", "speculative") in modalities  # "estaría preparando una denuncia"
    assert ("INVESTS_IN", "asserted") in modalities

    small = api.get("/api/entities/OpenAI/graph", params={"limit": 1}).json()
    assert [n["id"] for n in small["nodes"]] == [OPENAI, MICROSOFT]  # the most stories
    assert small["partners"] == graph["partners"]
    assert all({e["subject"], e["object"]} == {OPENAI, MICROSOFT} for e in small["edges"])


@pytest.mark.slow
def test_dependencies_are_the_library_answer(api: TestClient, con: Any) -> None:
    from newsgraph.analysis import dependencies

    body = api.get("/api/entities/OpenAI/dependencies").json()
    assert body == json.loads(json.dumps(dependencies(con, "OpenAI")))
    assert body["entity"]["id"] == OPENAI
    suppliers = {s["name"] for s in body["suppliers"]}
    assert {"Microsoft", "Oracle", "Nvidia"} <= suppliers
    assert 0 < body["concentration"]["suppliers"]["hhi"] <= 1
    assert "Microsoft" in {f["name"] for f in body["funders"]}


@pytest.mark.slow
def test_claims_pages_add_up_to_the_store(api: TestClient, con: Any) -> None:
    from newsgraph.store.queries import count_between, edges_between

    params = {"a": "OpenAI", "b": "MSFT"}
    whole = api.get("/api/claims", params={**params, "limit": 1000}).json()
    expected = edges_between(con, "OpenAI", "Microsoft", limit=1000)
    assert whole["total"] == count_between(con, "OpenAI", "Microsoft") == len(expected) >= 5
    assert [c["id"] for c in whole["claims"]] == [c["id"] for c in expected]
    assert (whole["a"]["id"], whole["b"]["id"]) == (OPENAI, MICROSOFT)
    dates = [c["date"] for c in whole["claims"]]
    assert dates == sorted(dates), "oldest first"
    for claim in whole["claims"]:
        assert {claim["subject"], claim["object"]} == {OPENAI, MICROSOFT}
        assert claim["class"] in ("cooperation", "conflict", "neutral")

    paged = []
    for offset in range(0, whole["total"] + 3, 3):
        page = api.get("/api/claims", params={**params, "limit": 3, "offset": offset}).json()
        assert (page["total"], page["limit"], page["offset"]) == (whole["total"], 3, offset)
        assert len(page["claims"]) == min(3, max(0, whole["total"] - offset))
        paged += page["claims"]
    assert paged == whole["claims"]

    sues = api.get("/api/claims", params={**params, "relation": "SUES"}).json()
    assert sues["total"] == count_between(con, "OpenAI", "Microsoft", relation="SUES") > 0
    assert {c["relation"] for c in sues["claims"]} == {"SUES"}
    # "estaría preparando una denuncia", "no ha presentado ninguna denuncia"
    assert {c["modality"] for c in sues["claims"]} == {"speculative", "negated"}
    nothing = api.get("/api/claims", params={**params, "relation": "ACQUIRES"}).json()
    assert (nothing["total"], nothing["claims"]) == (0, [])
    unknown = api.get("/api/claims", params={**params, "relation": "LIKES"})
    assert unknown.status_code == 422 and "relation" in unknown.json()["detail"]


@pytest.mark.slow
def test_claim_evidence_is_the_text_of_its_document(api: TestClient) -> None:
    page = api.get("/api/claims", params={"a": "Amazon", "b": "Anthropic"}).json()
    assert page["total"] >= 2
    for claim in page["claims"]:
        text = api.get(f"/api/documents/{claim['document_id']}").json()["text"]
        evidence = claim["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["sentence"]
        trigger = evidence["trigger"]
        assert text[trigger["start"] : trigger["end"]] == trigger["text"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("by", "first", "second"),
    [("year", "2023", "2024"), ("quarter", "2023-Q1", "2023-Q2"), ("month", "2023-01", "2023-02")],
)
def test_timeline_periods(api: TestClient, con: Any, by: str, first: str, second: str) -> None:
    from newsgraph.analysis import timeline

    params = {"a": "Microsoft", "b": "OpenAI", "by": by, "since": "2023-01-01"}
    body = api.get("/api/timeline", params=params).json()
    assert body == json.loads(
        json.dumps(timeline(con, "Microsoft", "OpenAI", by=by, since="2023-01-01"))
    )
    assert body["by"] == by and body["since"] == "2023-01-01"
    periods = [p["period"] for p in body["periods"]]
    assert periods[:2] == [first, second]
    assert periods == sorted(periods) and len(set(periods)) == len(periods)
    for period in body["periods"]:
        assert period["start"] <= period["end"]
        assert period["n_claims"] == sum(period["counts"].values())
        if period["n_claims"] == 0:
            assert period["health"] is None
        elif period["health"] is not None:
            assert -1 <= period["health"] <= 1
    # 2023 cooperates (the $10bn extension), 2025 fights (the complaint)
    years = api.get("/api/timeline", params={"a": "Microsoft", "b": "OpenAI"}).json()
    health = {p["period"]: p["health"] for p in years["periods"]}
    assert health["2019"] > 0 and health["2025"] < 0
    # periods run from the first claim to the last one of the window
    until = api.get("/api/timeline", params={**params, "by": "year", "until": "2024-12-31"})
    assert [p["period"] for p in until.json()["periods"]] == ["2023", "2024"]
    until = api.get("/api/timeline", params={**params, "by": "year", "until": "2024-06-30"})
    assert [p["period"] for p in until.json()["periods"]] == ["2023"]


@pytest.mark.slow
def test_document_offsets_are_slices_of_its_text(api: TestClient, con: Any) -> None:
    ids = [row[0] for row in con.execute("SELECT id FROM documents ORDER BY id").fetchall()]
    for id_ in ids:
        doc = api.get(f"/api/documents/{id_}").json()
        assert doc["id"] == id_ and doc["lang"] in ("en", "fr", "es")
        text = doc["text"]
        assert doc["mentions"] and doc["sources"]
        for mention in doc["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
            assert mention["entity_name"] and mention["type"]
        mentions = {(m["start"], m["end"], m["entity_id"]) for m in doc["mentions"]}
        for claim in doc["claims"]:
            evidence = claim["evidence"]
            assert text[evidence["start"] : evidence["end"]] == evidence["sentence"]
            trigger = evidence["trigger"]
            assert text[trigger["start"] : trigger["end"]] == trigger["text"]
            # the spans are mentions of the subject and the object (the pipeline
            # may point at one in another sentence, the title say)
            for role, span in (
                ("subject", evidence["subject_span"]),
                ("object", evidence["object_span"]),
            ):
                assert (span[0], span[1], claim[role]) in mentions, (id_, claim["id"], role)
    first = api.get(f"/api/documents/{ids[0]}").json()
    assert first["published"] is not None and len(first["published"]) == 10


@pytest.mark.slow
def test_a_document_of_the_mini_corpus_in_detail(api: TestClient, con: Any) -> None:
    (id_,) = con.execute(
        "SELECT id FROM documents WHERE name = '2019-07-22_en_ms_openai_first'"
    ).fetchone()
    doc = api.get(f"/api/documents/{id_}").json()
    assert doc["title"] == "Microsoft puts $1bn into OpenAI"
    assert doc["published"] == "2019-07-22"
    assert doc["sources"][0]["location"].endswith("2019-07-22_en_ms_openai_first.txt")
    relations = {(c["subject"], c["relation"], c["object"]) for c in doc["claims"]}
    assert (MICROSOFT, "INVESTS_IN", OPENAI) in relations
    invests = next(c for c in doc["claims"] if c["relation"] == "INVESTS_IN")
    assert invests["amount"]["value"] == 1e9 and invests["amount"]["currency"] == "USD"


# --- analysing a text ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Microsoft invested $10bn in OpenAI on Monday."),
        ("fr", "Microsoft a investi 10 milliards de dollars dans OpenAI."),
        ("es", "Microsoft invirtió 2.000 millones de dólares en OpenAI."),
    ],
)
def test_analyze_returns_the_ontology_document(api: TestClient, lang: str, text: str) -> None:
    response = api.post(
        "/api/analyze",
        json={"text": text, "lang": lang, "published": "2024-05-06", "title": "A title"},
    )
    assert response.status_code == 200, response.text
    doc = response.json()
    assert {"id", "lang", "published", "title", "warnings", "entities", "claims"} <= set(doc)
    assert (doc["lang"], doc["published"], doc["title"]) == (lang, "2024-05-06", "A title")
    entities = {e["id"]: e for e in doc["entities"]}
    assert {MICROSOFT, OPENAI} <= set(entities)
    for entity in doc["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    (claim,) = [c for c in doc["claims"] if c["relation"] == "INVESTS_IN"]
    assert (claim["subject"], claim["object"], claim["modality"]) == (
        MICROSOFT,
        OPENAI,
        "asserted",
    )
    assert claim["amount"]["currency"] == "USD" and claim["amount"]["value"] > 1e9
    evidence = claim["evidence"]
    assert text[evidence["start"] : evidence["end"]] == evidence["sentence"]
    trigger = evidence["trigger"]
    assert text[trigger["start"] : trigger["end"]] == trigger["text"]
    assert -1 <= claim["tone"] <= 1 and 0 <= claim["confidence"] <= 1


@pytest.mark.slow
def test_analyze_detects_the_language(api: TestClient) -> None:
    doc = api.post(
        "/api/analyze", json={"text": "Microsoft a investi 10 milliards de dollars dans OpenAI."}
    ).json()
    assert doc["lang"] == "fr"
    assert [(c["subject"], c["relation"], c["object"]) for c in doc["claims"]] == [
        (MICROSOFT, "INVESTS_IN", OPENAI)
    ]


@pytest.mark.slow
def test_analyze_in_another_language_warns(api: TestClient) -> None:
    # As the CLI and README say: another language is analysed with the
    # knowledge base only, with warning W001 (it is not refused with E005).
    response = api.post("/api/analyze", json={"text": "Apple verklagt Samsung.", "lang": "de"})
    assert response.status_code == 200
    doc = response.json()
    assert doc["lang"] == "de"
    assert any(w.startswith("W001") for w in doc["warnings"])


# --- errors ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "/api/entities/Microsft",
        "/api/entities/Microsft/graph",
        "/api/entities/Microsft/dependencies",
        "/api/claims?a=Microsft&b=OpenAI",
        "/api/timeline?a=OpenAI&b=Microsft",
    ],
)
def test_an_unknown_entity_is_404_with_suggestions(api: TestClient, path: str) -> None:
    body = error(api.get(path), 404, "E020")
    assert "Microsoft" in body["suggestions"]
    assert "Microsft" in body["detail"]


@pytest.mark.slow
def test_an_unknown_entity_is_json_under_api_and_a_page_elsewhere(api: TestClient) -> None:
    html = {"accept": "text/html"}
    error(api.get("/api/entities/Nothing-like-it", headers=html), 404, "E020")
    page = api.get("/entity/Nothing-like-it", headers=html)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Nothing-like-it" in page.text
    error(api.get("/entity/Nothing-like-it"), 404, "E020")


def test_an_unknown_document_is_404(empty: TestClient) -> None:
    body = error(empty.get("/api/documents/0123456789abcdef01234567"), 404, "E023")
    assert "0123456789abcdef01234567" in body["detail"]
    page = empty.get("/document/nope", headers={"accept": "text/html"})
    assert page.status_code == 404 and "<!doctype html>" in page.text


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/api/entities", ["query", "q"]),
        ("/api/entities?q=a&limit=0", ["query", "limit"]),
        ("/api/entities?q=a&limit=51", ["query", "limit"]),
        ("/api/entities?q=a&limit=ten", ["query", "limit"]),
        ("/api/entities?q=" + "a" * 201, ["query", "q"]),
        ("/api/entities/Microsoft/graph?limit=0", ["query", "limit"]),
        ("/api/entities/Microsoft/graph?limit=201", ["query", "limit"]),
        ("/api/claims?a=OpenAI", ["query", "b"]),
        ("/api/claims?b=OpenAI", ["query", "a"]),
        ("/api/claims?a=&b=OpenAI", ["query", "a"]),
        ("/api/claims?a=OpenAI&b=Microsoft&offset=-1", ["query", "offset"]),
        ("/api/claims?a=OpenAI&b=Microsoft&limit=1001", ["query", "limit"]),
        ("/api/timeline?a=OpenAI", ["query", "b"]),
        ("/api/timeline?a=OpenAI&b=Microsoft&by=week", ["query", "by"]),
        ("/api/timeline?a=OpenAI&b=Microsoft&by=year%0A", ["query", "by"]),
        ("/api/timeline?a=OpenAI&b=Microsoft&since=yesterday", ["query", "since"]),
        ("/api/timeline?a=OpenAI&b=Microsoft&until=2024-1-1", ["query", "until"]),
    ],
)
def test_invalid_parameters_are_422(empty: TestClient, path: str, where: list[str]) -> None:
    body = error(empty.get(path), 422, "E010")
    assert where in [e["loc"] for e in body["errors"]]
    assert ".".join(where) in body["detail"]


@pytest.mark.slow
def test_impossible_or_inverted_dates_are_422(api: TestClient) -> None:
    base = "/api/timeline?a=OpenAI&b=Microsoft"
    body = error(api.get(base + "&since=2024-13-45"), 422, "E009")
    assert "2024-13-45" in body["detail"]
    error(api.get(base + "&until=2023-02-30"), 422, "E009")
    body = error(api.get(base + "&since=2025-01-01&until=2024-01-01"), 422, "E010")
    assert "after" in body["detail"]


@pytest.mark.parametrize(
    ("payload", "code", "where"),
    [
        ({}, "E010", ["body", "text"]),
        ({"text": ""}, "E010", ["body", "text"]),
        ({"text": 42}, "E010", ["body", "text"]),
        ({"text": "Apple sues Samsung.", "colour": "red"}, "E010", ["body", "colour"]),
        ({"text": "Apple sues Samsung.", "lang": 3}, "E010", ["body", "lang"]),
        ({"text": "Apple sues Samsung.", "lang": "english"}, "E010", ["body", "lang"]),
        ({"text": "Apple sues Samsung.", "lang": "../fr"}, "E010", ["body", "lang"]),
        ({"text": "Apple sues Samsung.", "published": "yesterday"}, "E010", ["body", "published"]),
        ({"text": "Apple sues Samsung.", "published": "17/06/2025"}, "E010", ["body", "published"]),
        ({"text": "Apple sues Samsung.", "title": "t" * 1001}, "E010", ["body", "title"]),
        ({"text": " \n\t "}, "E001", None),
        ({"text": "Apple sues Samsung.", "published": "2024-13-45"}, "E009", None),
        ({"text": "Apple sues Samsung.", "published": "2023-02-29"}, "E009", None),
    ],
)
def test_invalid_texts_are_422_without_analysis(
    empty: TestClient, payload: dict[str, Any], code: str, where: list[str] | None
) -> None:
    body = error(empty.post("/api/analyze", json=payload), 422, code)
    if where is not None:
        assert where in [e["loc"] for e in body["errors"]]


def test_a_body_that_is_not_json_is_422(empty: TestClient) -> None:
    for content in (b"", b"{", b"text=hello", b'["a list"]'):
        response = empty.post(
            "/api/analyze", content=content, headers={"content-type": "application/json"}
        )
        error(response, 422, "E010")


def test_a_body_that_is_not_utf8_is_400_as_documented(empty: TestClient) -> None:
    response = empty.post(
        "/api/analyze",
        content=b'{"text": "\xff\xfe"}',
        headers={"content-type": "application/json"},
    )
    error(response, 400, "E010")
    openapi = empty.get("/api/openapi.json").json()
    assert "400" in openapi["paths"]["/api/analyze"]["post"]["responses"]


def test_a_wrong_method_is_405_with_the_allowed_ones(empty: TestClient) -> None:
    response = empty.request("DELETE", "/api/stats")
    error(response, 405, "E010")
    assert response.headers["allow"] == "GET"
    response = empty.put("/api/analyze", json={"text": "x"})
    error(response, 405, "E010")
    assert response.headers["allow"] == "POST"
    assert_secure(response)


def test_the_openapi_schema_lists_the_api_only(empty: TestClient) -> None:
    openapi = empty.get("/api/openapi.json").json()
    assert set(openapi["paths"]) == {
        "/api/stats",
        "/api/entities",
        "/api/entities/{name}",
        "/api/entities/{name}/graph",
        "/api/entities/{name}/dependencies",
        "/api/claims",
        "/api/timeline",
        "/api/documents/{document_id}",
        "/api/analyze",
        "/api/documents",
    }
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            assert {"404", "422"} <= set(operation["responses"]), (method, path)
            if method == "post":
                assert "413" in operation["responses"], path
    assert "403" in openapi["paths"]["/api/documents"]["post"]["responses"]


def test_the_api_docs_page_runs_under_its_csp(empty: TestClient) -> None:
    """Swagger UI comes from npm through /vendor, started by a static script."""
    page = empty.get("/api/docs")
    assert page.status_code == 200
    assert "/vendor/swagger-ui-bundle.js" in page.text
    csp = page.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    allowed = directives.get("script-src", directives.get("default-src", []))
    for src in re.findall(r"<script[^>]*\bsrc=[\"']([^\"']+)", page.text):
        assert src.startswith("/") or any(src.startswith(a) for a in allowed), src
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page.text, re.S)
    if any(script.strip() for script in inline):
        assert any(a.startswith(("'nonce-", "'sha256-", "'unsafe-inline'")) for a in allowed)


# --- sizes ---------------------------------------------------------------------------


def test_a_text_over_max_chars_is_413(empty_db: Path) -> None:
    with TestClient(create_app(empty_db, max_chars=50)) as client:
        body = error(client.post("/api/analyze", json={"text": "x" * 51}), 413, "E004")
        assert "51" in body["detail"] and "50" in body["detail"]
        # at the limit the text is taken (and then found blank: no analysis runs)
        error(client.post("/api/analyze", json={"text": " " * 50}), 422, "E001")
        # characters, not bytes: 50 ideographic spaces are 150 bytes
        error(client.post("/api/analyze", json={"text": "\u3000" * 50}), 422, "E001")
        error(client.post("/api/analyze", json={"text": "\u3000" * 51}), 413, "E004")


def test_a_body_over_max_body_is_413_by_its_content_length(empty_db: Path) -> None:
    with TestClient(create_app(empty_db, max_body=1000)) as client:
        response = client.post("/api/analyze", json={"text": "x" * 2000})
        assert int(response.request.headers["content-length"]) > 1000
        body = error(response, 413, "E024")
        assert "1,000" in body["detail"]
        assert_secure(response)
        # at the limit the body is read (and found not to be JSON)
        exact = client.post(
            "/api/analyze", content=b"x" * 1000, headers={"content-type": "application/json"}
        )
        error(exact, 422, "E010")
        error(client.post("/api/documents", content=b"{" * 1001), 413, "E024")


def test_a_streamed_body_over_max_body_is_413(empty_db: Path) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(30):
            yield b"x" * 100
        yield b'"}'

    with TestClient(create_app(empty_db, max_body=1000)) as client:
        response = client.post(
            "/api/analyze", content=chunks(), headers={"content-type": "application/json"}
        )
        assert "content-length" not in response.request.headers
        assert response.request.headers["transfer-encoding"] == "chunked"
        error(response, 413, "E024")


def test_a_streamed_body_is_refused_before_it_is_read_whole(empty_db: Path) -> None:
    app = create_app(empty_db, max_body=1000)
    json_type = (b"content-type", b"application/json")
    raw = call_asgi(app, "POST", "/api/analyze", headers=[json_type], chunks=[b"x" * 400] * 10)
    assert raw.status == 413 and json.loads(raw.body)["code"] == "E024"
    assert raw.chunks_read == 3  # 1,200 bytes: refused at once, the rest left unread
    # a Content-Length that lies is no way around the limit
    lying = [json_type, (b"content-length", b"10")]
    raw = call_asgi(app, "POST", "/api/analyze", headers=lying, chunks=[b"y" * 600] * 2)
    assert raw.status == 413
    # below the limit, the chunks reach the route whole
    body = json.dumps({"text": " " * 300}).encode()
    parts = [body[i : i + 50] for i in range(0, len(body), 50)]
    raw = call_asgi(app, "POST", "/api/analyze", headers=[json_type], chunks=parts)
    assert (raw.status, json.loads(raw.body)["code"]) == (422, "E001")
    app.state.access.close()


# --- read-only and uploads -----------------------------------------------------------


def test_uploads_are_403_on_a_read_only_server(empty: TestClient) -> None:
    body = error(empty.post("/api/documents", json={"text": "Apple sues Samsung."}), 403, "E025")
    assert "--allow-ingest" in body["detail"]
    assert empty.get("/api/stats").json()["counts"]["documents"] == 0


def test_an_invalid_upload_is_422_before_anything_is_stored(tmp_path: Path) -> None:
    app = create_app(tmp_path / "new.duckdb", allow_ingest=True)
    with TestClient(app) as client:
        error(client.post("/api/documents", json={"text": "   "}), 422, "E001")
        error(client.post("/api/documents", json={"text": "A", "published": "2024"}), 422, "E010")
        body = error(
            client.post("/api/documents", json={"text": "A", "published": "2025-02-30"}),
            422,
            "E009",
        )
        assert "2025-02-30" in body["detail"]
        error(client.post("/api/documents", json={"text": "A", "id": "x"}), 422, "E010")
        assert client.get("/api/stats").json()["counts"]["documents"] == 0


def _copy_store(source: Path, folder: Path) -> Path:
    copy = folder / "copy.duckdb"
    shutil.copy(source, copy)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copy(wal, copy.with_name(copy.name + ".wal"))
    return copy


@pytest.mark.slow
def test_an_upload_is_stored_once(tmp_path: Path, mini_store_path: Path) -> None:
    db = _copy_store(mini_store_path, tmp_path)
    article = {
        "text": "The Redmond giant invested $2bn in Anthropic on Monday, the company said.",
        "title": "Microsoft backs Anthropic",
        "published": "2025-09-01",
        "lang": "en",
        "url": "https://example.test/ms-anthropic",
    }
    with TestClient(create_app(db, allow_ingest=True)) as client:
        assert client.get("/api/stats").json()["read_only"] is False
        response = client.post("/api/documents", json=article)
        assert response.status_code == 201, response.text
        stored = response.json()
        assert stored["new"] is True
        assert stored["summary"]["analysed"] == 1 and stored["summary"]["failed"] == []
        assert stored["summary"]["documents"] == 11

        doc = client.get(f"/api/documents/{stored['document_id']}").json()
        assert doc["id"] == stored["document_id"]
        assert doc["text"].startswith("Microsoft backs Anthropic\n\nThe Redmond giant")
        assert (doc["title"], doc["published"], doc["url"]) == (
            "Microsoft backs Anthropic",
            "2025-09-01",
            "https://example.test/ms-anthropic",
        )
        assert (MICROSOFT, "INVESTS_IN", "kb:anthropic") in {
            (c["subject"], c["relation"], c["object"]) for c in doc["claims"]
        }
        # the epithet seen is now a way to find Microsoft
        hits = client.get("/api/entities", params={"q": "redmond"}).json()
        assert (hits[0]["id"], hits[0]["matched"]) == (MICROSOFT, "redmond giant")
        assert client.get("/api/stats").json()["counts"]["documents"] == 11

        again = client.post("/api/documents", json=article)
        assert again.status_code == 201
        assert again.json()["document_id"] == stored["document_id"]
        assert again.json()["new"] is False
        assert client.get("/api/stats").json()["counts"]["documents"] == 11
    with Store.open(db, read_only=True) as store:  # written to the file, readable after
        assert store.counts()["documents"] == 11


def test_an_upload_whose_analysis_fails_is_500_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsgraph.pipeline

    def broken(docs: Any, **options: Any) -> Any:
        raise RuntimeError("parser crashed")

    monkeypatch.setattr(newsgraph.pipeline, "analyze_many", broken)
    with TestClient(create_app(tmp_path / "new.duckdb", allow_ingest=True)) as client:
        response = client.post("/api/documents", json={"text": "Apple sues Samsung."})
        body = error(response, 500, "E026")
        assert "nothing was stored" in body["detail"] and "parser crashed" in body["detail"]
        assert client.get("/api/stats").json()["counts"]["documents"] == 0


# --- security ----------------------------------------------------------------------


def test_security_headers_are_on_every_response(empty: TestClient) -> None:
    responses = [
        empty.get("/api/stats"),
        empty.get("/"),
        empty.get("/analyze"),
        empty.get("/search", params={"q": "x"}),
        empty.get("/static/app.css"),
        empty.get("/api/openapi.json"),
        empty.get("/api/documents/nope"),
        empty.get("/no/such/page", headers={"accept": "text/html"}),
        empty.get("/api/entities"),
        empty.post("/api/documents", json={"text": "x"}),
    ]
    assert [r.status_code for r in responses] == [200] * 6 + [404, 404, 422, 403]
    assert responses[1].headers["content-type"].startswith("text/html")
    for response in responses:
        assert_secure(response)


def test_no_cors_by_default(empty: TestClient) -> None:
    origin = {"origin": "http://example.test"}
    response = empty.get("/api/stats", headers=origin)
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = empty.options(
        "/api/analyze", headers={**origin, "access-control-request-method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_for_the_given_origins_only(empty_db: Path) -> None:
    app = create_app(empty_db, cors_origins=("http://example.test",))
    with TestClient(app) as client:
        allowed = client.get("/api/stats", headers={"origin": "http://example.test"})
        assert allowed.headers["access-control-allow-origin"] == "http://example.test"
        assert_secure(allowed)
        other = client.get("/api/stats", headers={"origin": "http://evil.test"})
        assert other.status_code == 200
        assert "access-control-allow-origin" not in other.headers

        def preflight(origin: str, method: str) -> Any:
            return client.options(
                "/api/analyze",
                headers={
                    "origin": origin,
                    "access-control-request-method": method,
                    "access-control-request-headers": "content-type",
                },
            )

        ok = preflight("http://example.test", "POST")
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "http://example.test"
        assert "POST" in ok.headers["access-control-allow-methods"]
        refused = preflight("http://evil.test", "POST")
        assert refused.status_code == 400
        assert refused.headers.get("access-control-allow-origin") != "http://evil.test"
        assert preflight("http://example.test", "DELETE").status_code == 400


TRAVERSALS = [
    "/static/../app.py",
    "/static/%2e%2e/app.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e%2fapp.py",
    "/static/..%5capp.py",
    "/static/../../../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/vendor/..%2Fpackage.json",
    "/vendor/..%2F..%2Fpackage.json",
    "/vendor/%2e%2e%2fpackage.json",
    "/vendor/../package.json",
    "/vendor/anything-not-in-table",
    "/vendor/package.json",
    "/vendor/cytoscape",
]


def _leaks(body: bytes) -> bool:
    """Whether ``body`` holds text of a file outside the served folders."""
    markers = (b"from __future__", b"import ", b"create_app", b"root:", b'"dependencies"')
    return any(marker in body for marker in markers)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_leaves_the_served_folders(empty: TestClient, path: str) -> None:
    assert (WEB / "app.py").is_file()  # what "../app.py" from static/ would be
    # through httpx (which normalises "/../" itself)...
    response = empty.get(path)
    assert response.status_code == 404, path
    assert not _leaks(response.content), path
    # ... and as sent, byte for byte
    raw = call_asgi(empty.app, "GET", path)
    assert raw.status == 404, path
    assert not _leaks(raw.body), path


def test_the_vendor_table_serves_its_libraries_or_says_they_are_missing(
    empty: TestClient,
) -> None:
    for name in ("chart.js", "cytoscape.mjs"):
        response = empty.get(f"/vendor/{name}")
        if vendor_file(name) is None:
            assert error(response, 404, "E010")["detail"].startswith(f"no library {name!r}")
        else:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/javascript")
            assert_secure(response)
    assert empty.get("/static/app.css").headers["content-type"].startswith("text/css")


def test_a_search_query_is_escaped_in_its_page(empty: TestClient) -> None:
    payload = '<script>window.__xss = 1</script>"><img src=x onerror=alert(1)>'
    page = empty.get("/search", params={"q": payload})
    assert page.status_code == 200
    assert "<script>window.__xss" not in page.text
    assert "<img src=x onerror" not in page.text
    assert "&lt;script&gt;window.__xss" in page.text


#: What runs script if it reaches a page unescaped (see ``XSS`` in conftest.py).
RAW_PAYLOADS = (
    "<script>window.__xss",
    "<img src=x onerror",
    "<svg onload",
    'onmouseover="window.__xss',
    'href="javascript:',
)


@pytest.fixture(scope="module")
def xss(xss_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(xss_db)) as client:
        yield client


@pytest.fixture(scope="module")
def xss_ids(xss_db: Path) -> tuple[str, str]:
    """The ids of the entity named with a payload, and of the article of payloads."""
    with Store.open(xss_db, read_only=True) as store:
        ((entity,),) = store.con.execute(
            "SELECT id FROM entities WHERE starts_with(name, '<img')"
        ).fetchall()
        ((document,),) = store.con.execute("SELECT id FROM documents").fetchall()
    return entity, document


@pytest.mark.slow
def test_pages_of_attacker_text_hold_it_escaped(xss: TestClient, xss_ids: tuple[str, str]) -> None:
    entity_id, doc_id = xss_ids
    name = xss.get(f"/api/entities/{quote(entity_id, safe='')}").json()["name"]
    assert name.startswith("<img src=x onerror")  # the JSON holds the payload as it is
    plain = name.split(">", 1)[1]  # the name the article gave, found by search
    entity_page = f"/entity/{quote(entity_id, safe='')}"
    pages = {
        "/": "&lt;script&gt;window.__xss",
        entity_page: "&lt;img src=x onerror",
        f"/document/{doc_id}": "&lt;script&gt;window.__xss",
        f"/search?q={quote(plain)}": "&lt;img src=x onerror",  # one hit: its page
        "/search?q=o": "&lt;img src=x onerror",  # several: the list
    }
    for path, escaped in pages.items():
        page = xss.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
        for raw in RAW_PAYLOADS:
            assert raw not in page.text, (path, raw)
        assert escaped in page.text, path
        assert_secure(page)
    assert xss.get(f"/search?q={quote(plain)}").url.raw_path.decode() == entity_page
    assert len(xss.get("/api/entities", params={"q": "o"}).json()) > 1
    entity = xss.get(entity_page).text
    assert "&lt;svg onload" in entity  # the alias
    document = xss.get(f"/document/{doc_id}").text
    assert "&lt;img src=x onerror" in document  # the entity name, in titles and lists
    head = document.split('<article class="doc-text"')[0]
    assert "javascript:" not in head  # the article's javascript: url is not linked
