"""A details group's table that does not fit what is left of a page starts there and runs on over
the next, its heading with it, rather than moving whole to the next page and leaving half of one
empty; a heading never stands alone at a page's foot."""

from __future__ import annotations

import pypdfium2

from kpis.exports import scorecard_pdf


def _group(title: str, count: int) -> dict:
    tiles = [
        {"label": f"{title} figure {i}", "shown": str(i), "change": None, "target": None, "met": None, "reason": ""}
        for i in range(count)
    ]
    return {"title": title, "tiles": tiles}


def _pages(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def test_a_long_group_starts_under_the_one_before_and_runs_on() -> None:
    groups = [_group("Traffic", 12), _group("Leads", 40)]
    pages = _pages(scorecard_pdf(client_name="Acme", month_label="October 2026", computed="", groups=groups))
    assert "Traffic figure 11" in pages[0]
    # Leads' heading and its first rows under Traffic on page 1, the rest over the page.
    assert "Leads figure 0" in pages[0] and "Leads figure 39" in pages[1]


def test_a_heading_at_the_foot_of_a_page_goes_over_with_its_rows() -> None:
    # Traffic fills page 1 to a few lines from its foot: Leads's heading may not stay there alone.
    for count in range(34, 44):
        groups = [_group("Traffic", count), _group("Leads", 10)]
        pages = _pages(scorecard_pdf(client_name="Acme", month_label="October 2026", computed="", groups=groups))
        for page in pages:
            if "Leads" in [line.strip() for line in page.splitlines()]:  # the heading's own line
                assert "Leads figure 0" in page, count


def test_a_group_that_runs_on_over_a_page_names_itself_there_as_continued() -> None:
    """A page that opened on "KPI  Value  Change" did not say which group its rows were of; one that opened
    on the plain "Leads" read as the group starting again, where a section and a breakdown say "(continued)"."""
    groups = [_group("Traffic", 12), _group("Leads", 60)]
    pages = _pages(scorecard_pdf(client_name="Acme", month_label="October 2026", computed="", groups=groups))
    first = next(page for page in pages if "Leads figure 0" in page)
    continued = next(page for page in pages if "Leads figure 59" in page)
    assert "Leads figure 0" not in continued  # the group does run on over a page
    assert "Leads" in [line.strip() for line in first.splitlines()]  # where it starts, its plain title
    assert "(continued)" not in first
    lines = [line.strip() for line in continued.splitlines()]
    # its title said as continued, then the column headings, then the rows it runs on with
    assert lines[:2] == ["Leads (continued)", "KPI Value Change"], lines[:3]
    assert lines[2].startswith("Leads figure "), lines[:3]


def test_a_group_over_three_pages_says_continued_on_each_and_keeps_every_row_once() -> None:
    groups = [_group("Leads", 130)]
    pages = _pages(scorecard_pdf(client_name="Acme", month_label="October 2026", computed="", groups=groups))
    assert len(pages) >= 3
    for page in pages[1:]:
        assert [line.strip() for line in page.splitlines()][:2] == ["Leads (continued)", "KPI Value Change"]
    lines = [line.strip() for page in pages for line in page.splitlines()]
    for i in range(130):  # no row lost nor said twice where the table breaks
        assert lines.count(f"Leads figure {i} {i}") == 1, i


def test_a_spanish_group_that_runs_on_says_continuacion() -> None:
    from django.utils import translation

    with translation.override("es"):
        pages = _pages(scorecard_pdf(client_name="Acme", month_label="octubre de 2026", computed="",
                                     groups=[_group("Clientes potenciales", 80)]))
    lines = [line.strip() for line in pages[1].splitlines()]
    assert lines[:2] == ["Clientes potenciales (continuación)", "KPI Valor Variación"], lines[:3]
