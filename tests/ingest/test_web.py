"""The web readers of ``newsgraph ingest``: HTML pages, RSS/Atom feeds and WARC archives."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from newsgraph.ingest import RawArticle, Skipped

from .builders import EN, EN2, ES, FR, page, read, warc_bytes

# --- HTML ----------------------------------------------------------------------------------


def test_html_page(tmp_path: Path) -> None:
    head = (
        '<meta property="og:site_name" content="Le Monde">'
        '<meta property="article:published_time" content="2024-03-05T10:00:00+01:00">'
        '<link rel="canonical" href="https://www.lemonde.fr/economie/airbus-a350.html">'
    )
    path = tmp_path / "airbus.html"
    path.write_text(page("Air France orders A350s", [EN, EN2], head=head), encoding="utf-8")
    [art] = read(path)
    assert isinstance(art, RawArticle)
    assert art.text == f"Air France orders A350s\n\n{EN}\n{EN2}"
    assert (art.name, art.location, art.title) == ("airbus", str(path), "Air France orders A350s")
    assert (art.published, art.site) == ("2024-03-05", "Le Monde")
    assert art.url == "https://www.lemonde.fr/economie/airbus-a350.html"
    assert art.lang is None and art.warnings == ()
    assert "Home" not in art.text and "Contact" not in art.text


def test_html_declared_latin1_and_date_in_name(tmp_path: Path) -> None:
    path = tmp_path / "2024-03-06_renault.htm"
    html = page("Accord Renault-Nissan", [FR], charset="iso-8859-1")
    path.write_bytes(html.encode("latin-1"))
    [art] = read(path)
    assert isinstance(art, RawArticle)
    assert FR in art.text and art.warnings == ()
    assert art.published == "2024-03-06"


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><div></div></body></html>")
    [item] = read(path)
    assert isinstance(item, Skipped) and item.code == "E015"
    assert item.message == (
        f"error E015: {path}: no article text found in the HTML; the page is skipped."
    )


def test_binary_html_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "logo.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    [item] = read(path)
    assert isinstance(item, Skipped) and item.code == "E002"


# --- RSS and Atom --------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Les Echos - Industrie</title>
<link>https://www.lesechos.fr/</link><description>Industrie</description>
<item><title>Renault et Nissan signent un accord</title>
<link>https://www.lesechos.fr/industrie/renault-nissan-accord</link>
<pubDate>Tue, 05 Mar 2024 00:30:00 +0100</pubDate>
<description>&lt;p&gt;{FR}&lt;/p&gt;
&lt;p&gt;Le site emploie &lt;b&gt;3 000&lt;/b&gt; personnes.&lt;/p&gt;</description>
</item>
<item><title>Michelin ferme une usine à Cholet</title>
<link>https://www.lesechos.fr/industrie/michelin-cholet</link></item>
<item><link>https://www.lesechos.fr/vide</link></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>El País Economía</title>
<id>urn:elpais:economia</id><updated>2024-03-06T23:30:00-05:00</updated>
<entry><title type="html">Telef&amp;oacute;nica &lt;em&gt;vende&lt;/em&gt; su filial</title>
<id>urn:elpais:1</id><link href="https://elpais.com/economia/telefonica-fibra.html"/>
<updated>2024-03-06T23:30:00-05:00</updated>
<content type="html">&lt;p&gt;{ES}&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_feed(tmp_path: Path) -> None:
    path = tmp_path / "lesechos.rss"
    path.write_text(RSS, encoding="utf-8")
    first, second, third = read(path)
    assert first == RawArticle(
        text=f"Renault et Nissan signent un accord\n\n{FR}\nLe site emploie 3 000 personnes.",
        name="lesechos-fr-industrie-renault-nissan-accord",
        location=f"{path}#1",
        title="Renault et Nissan signent un accord",
        published="2024-03-05",  # the day written in the feed, not the UTC day (03-04)
        url="https://www.lesechos.fr/industrie/renault-nissan-accord",
        site="Les Echos - Industrie",
    )
    assert isinstance(second, RawArticle)  # a headline alone is an article of one line
    assert (second.text, second.location) == ("Michelin ferme une usine à Cholet", f"{path}#2")
    assert isinstance(third, Skipped) and (third.code, third.location) == ("E015", f"{path}#3")


def test_atom_feed_sniffed_from_xml(tmp_path: Path) -> None:
    path = tmp_path / "elpais.xml"
    path.write_text(ATOM, encoding="utf-8")
    [art] = read(path)
    assert isinstance(art, RawArticle)
    assert art.title == "Telefónica vende su filial"
    assert art.text == f"Telefónica vende su filial\n\n{ES}"
    assert (art.published, art.site) == ("2024-03-06", "El País Economía")
    assert art.url == "https://elpais.com/economia/telefonica-fibra.html"


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    path = tmp_path / "corpus" / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>https://x.org/</loc></url></urlset>')
    assert read(tmp_path / "corpus") == []  # ignored inside a folder
    [item] = read(path)  # reported when given explicitly
    assert isinstance(item, Skipped) and item.code == "E016"
    assert "not an RSS or Atom feed" in item.message


def test_feed_that_is_not_xml(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("this is not a feed at all")
    [item] = read(path)
    assert isinstance(item, Skipped) and item.code == "E016"


def test_truncated_feed(tmp_path: Path) -> None:
    path = tmp_path / "cut.rss"
    path.write_text(RSS[: RSS.index("<item><link>") + 30], encoding="utf-8")
    items = read(path)
    assert [type(i).__name__ for i in items] == ["RawArticle", "RawArticle", "Skipped"]
    assert (items[-1].code, items[-1].location) == ("E014", str(path))
    assert "the 2 record(s) before the damage were read" in items[-1].message


def test_feed_without_entries(tmp_path: Path) -> None:
    path = tmp_path / "quiet.atom"
    path.write_text(ATOM[: ATOM.index("<entry>")] + "</feed>", encoding="utf-8")
    [item] = read(path)
    assert isinstance(item, Skipped) and item.code == "E001"


# --- WARC ----------------------------------------------------------------------------------


PAGES = [
    (
        "https://www.lemonde.fr/eco/airbus.html",
        "text/html; charset=utf-8",
        page("Airbus", [EN, EN2]),
    ),
    ("https://www.lemonde.fr/logo.png", "image/png", "not really a png"),
    ("https://www.lemonde.fr/missing.html", "text/html", page("Not found", ["Gone."])),
    ("https://www.lesechos.fr/vide.html", "text/html", "<html><body><div></div></body></html>"),
    ("https://elpais.com/economia/telefonica.html", "text/html", page("Telefónica", [ES])),
]


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_warc(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"crawl{suffix}"
    path.write_bytes(warc_bytes(PAGES, gzipped=suffix.endswith(".gz")))
    first, empty, last = read(path)
    # record 1 is warcinfo, then a request and a response per page: responses are 3, 5, ...
    assert isinstance(first, RawArticle)
    assert first.location == f"{path}#3" and first.name == "lemonde-fr-eco-airbus"
    assert first.text == f"Airbus\n\n{EN}\n{EN2}" and first.url == PAGES[0][0]
    assert isinstance(empty, Skipped) and (empty.code, empty.location) == ("E015", f"{path}#9")
    assert isinstance(last, RawArticle) and last.location == f"{path}#11"
    assert last.text == f"Telefónica\n\n{ES}"


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_truncated_warc(tmp_path: Path, suffix: str) -> None:
    data = warc_bytes(PAGES, gzipped=suffix.endswith(".gz"))
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(data[: len(data) - 120])  # inside the last response
    items = read(path)
    assert [type(i).__name__ for i in items] == ["RawArticle", "Skipped", "Skipped"]
    assert items[1].code == "E015"
    assert (items[2].code, items[2].location) == ("E014", str(path))
    assert "the 10 record(s) before the damage were read" in items[2].message


def test_warc_resource_record(tmp_path: Path) -> None:
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "saved.warc"
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=False)
        data = page("Iberdrola", [ES]).encode()
        record = writer.create_warc_record(
            "file:///saved/iberdrola.html",
            "resource",
            payload=io.BytesIO(data),
            length=len(data),
            warc_content_type="text/html",
        )
        writer.write_record(record)
    [art] = read(path)
    assert isinstance(art, RawArticle) and art.location == f"{path}#1" and ES in art.text


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc.gz"
    path.write_bytes(gzip.compress(b"hello, this is not a WARC file\n" * 20))
    [item] = read(path)
    assert isinstance(item, Skipped) and item.code == "E014"


def test_a_warc_page_without_a_date_takes_the_crawl_date(tmp_path: Path) -> None:
    import datetime as dt

    body = page("Microsoft invests in OpenAI", ["Microsoft invested $10bn in OpenAI."])
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_bytes([("https://ex.com/ms", "text/html", body)], gzipped=False))
    (article,) = [a for a in read(path) if isinstance(a, RawArticle)]
    assert article.published is not None
    assert abs(dt.date.fromisoformat(article.published) - dt.date.today()).days <= 1
    assert any(w.startswith("W006") and "crawl date" in w for w in article.warnings)
