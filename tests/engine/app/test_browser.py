"""A whole committee session in Debian's Chromium, driven by Selenium against `talenta serve`.

Open a session, accept a proposal, choose another candidate (and see the
price and the displaced), exclude a candidate with a reason, revise a
decision, close the session, download the berita acara and read it back
with python-docx. Screenshots go to a temporary folder, or with
``TALENTA_SCREENSHOTS=docs/img`` to the pictures of the secretariat's
chapter of docs/panduan.md. Nothing downloads a browser or a driver: the
test uses /usr/bin/chromium and /usr/bin/chromedriver (.ci/run installs
them) and is skipped, saying so, when they are absent.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from docx import Document

from .conftest import database

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
# Screenshots land in a temporary folder, so a test run changes no tracked
# file; TALENTA_SCREENSHOTS=docs/img refreshes the user guide's pictures.
IMG = Path(os.environ.get("TALENTA_SCREENSHOTS") or tempfile.mkdtemp(prefix="talenta-shots-"))

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and DRIVER.exists()),
    reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path):
    made = database(request.param, tmp_path)
    db = next(made)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "serve", "scenarios/demo.yaml",
         "--port", str(port), "--db", db],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    url = f"http://127.0.0.1:{port}/"
    assert url in line, line
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    next(made, None)  # drop the database


@pytest.fixture
def browser(tmp_path: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000",
    ):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(tmp_path / "downloads")}
    )
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def _shot(driver, name: str) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1400, min(max(height + 40, 700), 2400))
    driver.save_screenshot(str(IMG / name))
    driver.set_window_size(1400, 1000)


def _go(driver, element) -> None:
    """Click ``element`` and wait until the next page has replaced this one."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def replaced(_driver) -> bool:  # type: ignore[no-untyped-def]
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            # Chromium may say it this way while the old document is torn down.
            if "does not belong to the document" in str(exc):
                return True
            raise

    WebDriverWait(driver, 30).until(replaced)


def _decide_on(driver, form: str, reason: str | None = None, nip_index: int | None = None):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    f = driver.find_element(By.ID, form)
    if nip_index is not None:
        Select(f.find_element(By.NAME, "nip")).select_by_index(nip_index)
    if reason is not None:
        f.find_element(By.NAME, "reason").send_keys(reason)
    _go(driver, f.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def _close_and_read_minutes(d, session: str, tmp_path: Path) -> str:
    """Close the session in the browser, download the berita acara, return its text."""
    from selenium.webdriver.common.by import By

    d.get(session + "/close")
    d.find_element(By.ID, "members").send_keys("Ketua Tim Contoh\nSekretaris Tim Contoh")
    d.find_element(By.ID, "place").send_keys("Padang Aro")
    d.find_element(By.ID, "number").send_keys("800/01/BA-TPK/2026")
    _go(d, d.find_element(By.ID, "close"))
    assert d.find_element(By.ID, "closed")
    _shot(d, "sidang-ditutup.png")
    d.find_element(By.LINK_TEXT, "berita-acara.docx").click()
    target = tmp_path / "downloads" / "berita-acara.docx"
    for _ in range(300):
        if target.exists() and target.stat().st_size > 0:
            break
        time.sleep(0.1)
    doc = Document(str(target))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    text = "\n".join(p.text for p in doc.paragraphs) + "\n" + "\n".join(cells)
    return text


def test_a_whole_session_in_chromium(server: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    d = browser
    d.get(server)
    _go(d, d.find_element(By.ID, "open"))
    assert "Sesi 1" in d.title
    _shot(d, "sidang-daftar.png")
    session = d.current_url

    # Accept the proposal for one post.
    d.get(session + "/posts/BAPPEDA.KEPALA")
    _decide_on(d, "accept-form", "sesuai usulan mesin")
    _go(d, d.find_element(By.ID, "confirm"))
    assert d.find_element(By.ID, "status").text == "diterima"

    # Choose another candidate: the price and the displaced before confirming.
    d.get(session + "/posts/BAPENDA.KEPALA")
    _shot(d, "sidang-jabatan.png")
    second = d.find_elements(By.CSS_SELECTOR, "#names tr")[2]
    second_name = second.find_elements(By.TAG_NAME, "a")[0].text
    second.find_element(By.NAME, "reason").send_keys("pengalaman di bidang pendapatan")
    _go(d, second.find_element(By.CSS_SELECTOR, "button.choose"))
    assert d.find_element(By.ID, "price").text == "2.8"
    moves = d.find_element(By.ID, "moves").text
    assert second_name in moves and "Liswayeni" in moves
    _shot(d, "sidang-pratinjau.png")
    _go(d, d.find_element(By.ID, "confirm"))
    assert d.find_element(By.ID, "holder").text == second_name

    # The session's plan as a whole, against the engine's proposal.
    d.get(session + "/round")
    assert second_name in d.find_element(By.ID, "differs").text
    _shot(d, "sidang-rencana.png")
    d.get(session + "/posts/BAPENDA.KEPALA")

    # A person's full explanation.
    _go(d, d.find_element(By.LINK_TEXT, second_name))
    assert "MEMENUHI SYARAT" in d.find_element(By.ID, "verdict").text
    _shot(d, "sidang-penjelasan.png")

    # Revise: the post chosen above goes back to the engine's proposal.
    d.get(session + "/posts/BAPENDA.KEPALA")
    _decide_on(d, "reopen-form", "dibahas ulang: usulan mesin diterima")
    _go(d, d.find_element(By.ID, "confirm"))
    assert d.find_element(By.ID, "status").text == "belum diputuskan"
    assert "Liswayeni" in d.find_element(By.ID, "holder").text

    # Exclude a candidate with a reason, on another post.
    d.get(session + "/posts/DINKES.KEPALA")
    proposed = d.find_element(By.ID, "holder").text
    names = [o.text for o in d.find_elements(By.CSS_SELECTOR, "#exclude-nip option")]
    _decide_on(d, "exclude-form", "sedang menjalani tugas belajar", names.index(proposed))
    _go(d, d.find_element(By.ID, "confirm"))
    assert "sedang menjalani tugas belajar" in d.find_element(By.ID, "excluded").text
    assert d.find_element(By.ID, "holder").text != proposed

    text = _close_and_read_minutes(d, session, tmp_path)
    for expected in (
        "sesuai usulan mesin",
        "pengalaman di bidang pendapatan",
        "sedang menjalani tugas belajar",
        "dibahas ulang: usulan mesin diterima",
        second_name,
        proposed,
        "Ketua Tim Contoh",
        "800/01/BA-TPK/2026",
    ):
        assert expected in text, expected
    assert re.search(r"\b2\.8\b", text)  # the price of choosing the second name
