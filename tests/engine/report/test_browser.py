"""The written reports in Debian's Chromium, driven by Selenium (issue 15, items 6, 10 and 12).

report.html of the demo with a pin and a ban: the pinned placement is marked,
the decisions table gives each decision's price and whom it displaces; the
'from' column shows the post and the unit left; a placement's rules open on
a click and name the rules by title; the chain boxes carry each post's id;
every name of a talent box is in a list that opens on a click.
succession.html: each picture is drawn under its title with its table
beside it, and the chains picture labels every year.

Nothing downloads a browser or a driver: /usr/bin/chromium and
/usr/bin/chromedriver (.ci/run installs them); skipped, saying so, without them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import decided_demo

from engine.inputs.progression import load_rank_progression
from engine.plan.pipeline import build_plan, load_context
from engine.report.render import write_outputs
from engine.report.succession import write_succession
from engine.succession.analysis import succession_of

CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and DRIVER.exists()),
    reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("profile")
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--window-size=1400,1000",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The decided demo's plan and its succession (one horizon year), written as a user would."""
    folder = tmp_path_factory.mktemp("decided")
    scenario = decided_demo(folder)
    plan = build_plan(scenario)
    write_outputs(plan, folder / "out")
    progression = load_rank_progression(folder / "rules/kenaikan-pangkat.yaml")
    s = succession_of(load_context(scenario), progression, 1)
    write_succession(s, folder / "succession")
    return plan, folder / "out/report.html", s, folder / "succession/succession.html"


def _by(css: str):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, css


def test_the_report_marks_decisions_with_price_and_displaced(browser, written):
    """Item 6: the pinned placement says so; each decision shows its price and whom it moves."""
    plan, report, _, _ = written
    browser.get(report.as_uri())
    record = plan.record
    pin = next(d for d in record.decisions if d.kind == "pin")
    ban = next(d for d in record.decisions if d.kind == "ban")
    rows = browser.find_elements(*_by("#placements + table tbody tr"))
    marked = [r for r in rows if r.find_elements(*_by("strong.pinned"))]
    assert len(marked) == 1
    assert marked[0].find_element(*_by("strong.pinned")).is_displayed()
    assert marked[0].find_element(*_by("strong.pinned")).text == "ditetapkan"
    assert pin.nip in marked[0].text and pin.jabatan_id in marked[0].text
    decisions = browser.find_elements(*_by("#decisions + table tbody tr"))
    assert len(decisions) == 2
    for row, d, word in ((decisions[0], pin, "Penetapan"), (decisions[1], ban, "Larangan")):
        cells = row.find_elements(*_by("td"))
        assert cells[0].text == word and d.nip in cells[1].text and d.jabatan_id in cells[2].text
        assert cells[3].text == f"{d.price}" and d.price > 0
        shown = cells[4].text.splitlines()
        assert len(shown) == len(d.displaced) > 0
        for line, m in zip(shown, d.displaced, strict=True):
            assert line.startswith(f"{m.nama}: ") and "tanpa keputusan ini:" in line


def test_the_report_shows_origins_rule_titles_chain_ids_and_every_talent(browser, written):
    """Item 10, as the committee sees it in the browser."""
    plan, report, _, _ = written
    browser.get(report.as_uri())
    record = plan.record
    rows = browser.find_elements(*_by("#placements + table tbody tr"))
    assert len(rows) == len(record.placements)
    first, p = rows[0], record.placements[0]
    origin = first.find_elements(*_by("td"))[2].text.splitlines()
    assert origin == [p.origin.nama_jabatan, p.origin.unit]
    # The rules passed: closed, a click opens them, each by its title.
    details = first.find_element(*_by("details"))
    title = record.manifest.rules[p.rules_passed[0]].title
    item = details.find_element(*_by("li"))
    assert details.get_attribute("open") is None and not item.is_displayed()
    details.find_element(*_by("summary")).click()
    assert details.get_attribute("open") is not None and item.is_displayed()
    assert title in item.text and p.rules_passed[0] in item.text
    # Chain boxes: each step's post id is drawn in the picture.
    drawn = {t.text for t in browser.find_elements(*_by("#chains + .picture svg text"))}
    for c in record.chains:
        for step in c.steps:
            assert step.post.jabatan_id in drawn
    # Every name of a box, in a list that opens on a click.
    lists = browser.find_elements(*_by("details.box-names"))
    assert sum(int(d.find_element(*_by("summary")).text.rsplit(": ", 1)[1]) for d in lists) == (
        plan.context.people.n
    )
    biggest = max(lists, key=lambda d: int(d.find_element(*_by("summary")).text.rsplit(": ", 1)[1]))
    names = biggest.find_element(*_by("p"))
    assert not names.is_displayed()
    biggest.find_element(*_by("summary")).click()
    assert names.is_displayed()
    count = int(biggest.find_element(*_by("summary")).text.rsplit(": ", 1)[1])
    assert len(names.text.split("; ")) == count > 6


def test_the_succession_report_draws_each_picture_with_its_title_and_table(browser, written):
    """Item 12: succession.html in the browser, three titled pictures, a table beside each."""
    _, _, s, page = written
    browser.get(page.as_uri())
    assert browser.title.startswith("Rencana suksesi")
    figures = browser.find_elements(*_by(".pair"))
    assert len(figures) == 3
    for pair, caption in zip(
        figures, ("Gambar 1. Kotak talenta", "Gambar 2. Kekuatan", "Gambar 3. Rantai"), strict=True
    ):
        figure = pair.find_element(*_by("figure"))
        assert figure.find_element(*_by("figcaption")).text.startswith(caption)
        svg = figure.find_element(*_by("svg"))
        assert svg.size["width"] > 300 and svg.size["height"] > 100
        table = pair.find_element(*_by(".side table"))
        assert table.is_displayed() and table.find_elements(*_by("tbody tr"))
        # Beside: the table starts right of the picture, level with it.
        assert table.location["x"] >= svg.location["x"] + svg.size["width"] - 1
        assert abs(table.location["y"] - figure.location["y"]) < 200
    # The talent box's table counts what the picture draws.
    cells = figures[0].find_elements(*_by(".side tbody tr td"))
    assert cells[0].text == "9" and cells[1].text == str(s.boxes.by_box[9])
    # The chains picture labels each year of the horizon.
    drawn = [t.text for t in figures[2].find_elements(*_by("svg text"))]
    for year in s.horizon.as_dict():
        label = f"Tahun {year['date'][:4]} (putaran {year['date']})"
        assert label in drawn
    # No request left the page: every picture is inline.
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources == []
