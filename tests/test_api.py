"""The public API is what we mean to export (after httpx's test_exported_members)."""

from __future__ import annotations

import newsgraph

EXPECTED = {
    "analyze",
    "Document",
    "Claim",
    "Entity",
    "Mention",
    "Amount",
    "Evidence",
    "Graph",
    "Modality",
    "KnowledgeBase",
    "NewsgraphError",
    "__version__",
}


def test_all_exports_the_public_api() -> None:
    exported = set(newsgraph.__all__)
    assert exported >= EXPECTED, f"missing from __all__: {sorted(EXPECTED - exported)}"


def test_every_exported_name_exists() -> None:
    for name in newsgraph.__all__:
        assert hasattr(newsgraph, name), name


def test_no_private_names_exported() -> None:
    for name in newsgraph.__all__:
        assert not name.startswith("_") or name == "__version__", name


def test_version_is_a_string() -> None:
    assert isinstance(newsgraph.__version__, str) and newsgraph.__version__


def test_error_class_is_the_catalogue_base() -> None:
    from newsgraph.errors import NewsgraphError

    assert newsgraph.NewsgraphError is NewsgraphError
