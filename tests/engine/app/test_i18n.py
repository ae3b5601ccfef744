"""The app in English: every phrase and message in the catalogue, every error in English.

The pages are Indonesian by default; switched to English, no error or notice
may stay an Indonesian sentence. The catalogue test reads the templates and
the app's code for the sentences they show, so a new one without its English
fails here.
"""

from __future__ import annotations

import ast
import html
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from engine.app.access import MAX_FAILURES, add_account
from engine.app.i18n import EN, Msg, msg, translator
from engine.app.web import create_app

from .conftest import DEMO, shortlists

APP = Path(__file__).resolve().parents[3] / "engine" / "app"
POST = "BAPENDA.KEPALA"
PASSWORD = "rahasia-sidang-2026"
# Words that make a sentence Indonesian; none is English, none is a name in the demo's data
# shown on an error page (domain terms such as pegawai or jabatan stay as they are).
INDONESIAN = {
    "yang", "tidak", "sudah", "untuk", "dengan", "ini", "itu", "belum", "pada", "atau",
    "dahulu", "perlu", "boleh", "wajib", "muat", "ulang", "kembali", "berkas", "sesi",
    "keputusan", "bukan", "ada", "dapat", "kesalahan", "halaman", "salah", "dikunci",
    "alasan", "sebutkan", "berubah", "masukan", "tanggapan", "urutan",
    "menit", "akun", "kata", "sandi", "peran", "diubah", "versi", "formulir", "calon",
}  # fmt: skip


def _marked(text: str) -> set[str]:
    """The literal phrases inside ``_( ... )`` and in a template's ``words`` table."""
    phrases: set[str] = set()
    for call in re.finditer(r"\b_\(([^()]*)\)", text):
        inside = call.group(1)
        # A table looked up inside _(): its values are the phrases, not its keys.
        pattern = r':\s*"([^"]+)"' if "{" in inside else r'"((?:[^"\\]|\\.)*)"'
        phrases.update(re.findall(pattern, inside))
    for table in re.finditer(r"\{% set words = \{(.*?)\} %\}", text):
        phrases.update(re.findall(r':\s*"([^"]+)"', table.group(1)))
    return phrases


def _phrases_of_templates() -> set[str]:
    """Every phrase the pages (and web.py's own ``_()`` calls) mark for translation."""
    found: set[str] = set()
    for path in [*(APP / "templates").glob("*.j2"), APP / "web.py"]:
        found |= _marked(path.read_text(encoding="utf-8"))
    return found - {"berita_acara.html.j2", "rekomendasi.html.j2"}


def test_the_reader_finds_conditional_phrases_and_word_tables():
    text = (
        '{{ _("Ya" if x else "Tidak") }} {% set words = {"a": "Satu", "b": "Dua"} %}'
        '{{ _({"k": "Tiga"}[key]) }}'
    )
    assert _marked(text) == {"Ya", "Tidak", "Satu", "Dua", "Tiga"}


def _sentences_of_code() -> set[str]:
    """First string arguments of msg(), Msg() and PageError(status, ...), and NOT_A_NUMBER's."""
    found: set[str] = set()
    for path in APP.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            args = node.args[1:] if name == "PageError" else node.args
            first = args[0] if args else None
            if name in ("msg", "Msg", "PageError") and isinstance(first, ast.Constant):
                found.add(str(first.value))
    from engine.app.decisions import ACTION_NAMES
    from engine.app.web import NOT_A_NUMBER

    return (found | set(NOT_A_NUMBER.values()) | set(ACTION_NAMES.values())) - {"", "{why}"}


def test_every_phrase_and_message_of_the_app_has_its_english() -> None:
    phrases = _phrases_of_templates()
    sentences = _sentences_of_code()
    assert len(phrases) > 100 and len(sentences) > 30  # the readers found them
    missing = sorted(p for p in phrases | sentences if p not in EN)
    assert not missing, missing
    for text in sentences:  # an English sentence fills the same fields
        assert set(re.findall(r"\{(\w+)", text)) == set(re.findall(r"\{(\w+)", EN[text])), text


def test_a_message_is_put_in_words_in_the_readers_language() -> None:
    m = msg("sesi {sid} sudah ditutup; buka kembali sebagai sesi baru", sid=4)
    assert m.render("id") == "sesi 4 sudah ditutup; buka kembali sebagai sesi baru"
    assert m.render("en") == "session 4 is closed; re-open it as a new session"
    nested = msg("alasan wajib diisi untuk keputusan '{action}'", action=Msg("Kecualikan"))
    assert nested.render("en") == "a reason is required for 'Exclude'"
    assert translator("en")(nested) == nested.render("en") and str(nested) == nested.render("en")
    assert translator("id")("Kembali") == "Kembali" and translator("en")("Kembali") == "Back"


def _visible(page: str) -> str:
    """The words a reader sees, without the link that offers the other language."""
    page = re.sub(r'<span class="langs">.*?</span>', "", page, flags=re.S)
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _english(page: str, expected: str) -> None:
    text = _visible(page)
    assert expected in text, text
    words = set(re.findall(r"[a-z]+", text.lower()))
    assert not words & INDONESIAN, sorted(words & INDONESIAN)


@pytest.fixture
def en(store, demo_round):
    app = create_app(store, DEMO)
    app.state.talenta.add_round(demo_round)
    with TestClient(app, follow_redirects=True, cookies={"talenta_lang": "en"}) as c:
        yield c


def test_every_error_of_a_session_is_in_english(en, demo_round) -> None:
    base = str(en.post("/sessions", data={"scenario": str(DEMO)}).url.path)
    second = shortlists()[POST][1].nip
    decide = f"{base}/posts/{POST}/decide"
    cases = [
        (en.post("/sessions", data={"scenario": ""}), 400, "name the scenario file"),
        (en.post("/sessions", data={"scenario": "no/such.yaml"}), 400, "not found"),
        (en.get("/sessions/77"), 404, "there is no session 77"),
        (en.get("/sessions/x7"), 400, "session number 'x7' is not a number"),
        (en.get(f"{base}/posts/NOPE"), 404, "there is no post 'NOPE' in this round"),
        (en.get(f"{base}/files/nope.pdf"), 404, "has no file 'nope.pdf'"),
        (en.get("/lang/fr"), 404, "language 'fr' is not offered"),
        (en.post(decide, data={"action": "exclude", "nip": second, "version": "0"}), 400,
         "a reason is required for 'Exclude'"),
        (en.post(decide, data={"action": "choose", "nip": "1", "reason": "r", "version": "0"}),
         400, "that NIP is not in the pegawai table"),
        (en.post(decide, data={"action": "choose", "nip": second, "reason": "r", "version": "v"}),
         400, "version 'v' is not a number"),
        (en.post(decide, data={"action": "promote", "version": "0"}), 400, "unknown decision"),
        (en.post(decide, data={"action": "lift", "nip": second, "version": "0"}), 400,
         "this person is not excluded from the post"),
        (en.post(decide, data={"action": "choose", "version": "0", "reason": "r"}), 400,
         "'Choose another candidate' needs a person (NIP)"),
        (en.post(f"{base}/close", data={"members": " ", "version": "0"}), 400,
         "list the members present"),
        (en.post(f"{base}/reopen"), 409, "the session is open; close it before re-opening it"),
        (en.post(f"{base}/posts/{POST}/comment", data={"text": ""}), 400, "the comment is empty"),
        (en.post(f"{base}/order", data={"mode": "abc"}), 400, "unknown order 'abc'"),
    ]  # fmt: skip
    for r, status, expected in cases:
        assert r.status_code == status, expected
        _english(r.text, expected)
    # A conflict: a second browser's form made on a version that is no longer current.
    assert en.post(decide, data={"action": "accept", "version": "0"}).status_code == 200
    late = en.post(decide, data={"action": "choose", "nip": second, "reason": "r", "version": "0"})
    assert late.status_code == 409
    _english(late.text, "the session was changed by someone else (now version 1")
    # A decision that cannot hold: someone not eligible for the post.
    eligible = {
        int(demo_round._cand_person[k]) for k in demo_round.candidates(demo_round.post_index[POST])
    }
    outsider = next(i for i in range(demo_round.ctx.people.n) if i not in eligible)
    nip = str(demo_round.ctx.people.nip[outsider])
    refused = en.post(decide, data={"action": "choose", "nip": nip, "reason": "r", "version": "1"})
    assert refused.status_code == 409
    text = _visible(refused.text)
    assert "the decision cannot hold:" in text and "is not eligible for" in text
    assert "tidak memenuhi syarat" not in text and "tidak dapat berlaku" not in text
    preview = en.get(
        f"{base}/posts/{POST}/preview", params={"action": "choose", "nip": nip, "reason": "r"}
    )
    assert "the decision cannot hold:" in _visible(preview.text)
    # A closed session refuses every write, in English.
    en.post(f"{base}/close", data={"members": "A", "version": "1"})
    closed = en.post(f"{base}/posts/{POST}/comment", data={"text": "late"})
    assert closed.status_code == 409
    _english(closed.text, "is closed; re-open it as a new session")


def test_changed_inputs_are_told_in_english(tmp_path, store, demo_round) -> None:
    root = demo_round.scenario.parents[1]
    for folder in ("scenarios", "rules", "data/demo"):
        shutil.copytree(root / folder, tmp_path / folder)
    scenario = tmp_path / "scenarios" / "demo.yaml"
    app = create_app(store, scenario)
    with TestClient(app, follow_redirects=True, cookies={"talenta_lang": "en"}) as client:
        base = str(client.post("/sessions", data={"scenario": str(scenario)}).url.path)
        with (tmp_path / "data" / "demo" / "jabatan.csv").open("a") as f:
            f.write("\n")
        page = client.get(base).text
    notice = page[page.index('id="changed"') : page.index("</p>", page.index('id="changed"'))]
    _english(notice + "</p>", "Input files changed since the session was opened: data.jabatan.")


def test_login_and_role_refusals_are_in_english(tmp_path, demo_round) -> None:
    from engine.app.store import Store

    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    add_account(store, "tamu", "viewer", PASSWORD)
    add_account(store, "anggota", "member", PASSWORD)
    store.open_session(str(DEMO), "demo", {}, "x")
    app = create_app(store, DEMO, login=True)
    app.state.talenta.add_round(demo_round)
    with TestClient(app, base_url="https://testserver", cookies={"talenta_lang": "en"}) as c:
        wrong = c.post("/login", data={"name": "anggota", "password": "salah-salah-salah"})
        _english(wrong.text, "wrong name or password")
        for _ in range(MAX_FAILURES - 1):
            c.post("/login", data={"name": "anggota", "password": "salah-salah-salah"})
        _english(c.post("/login", data={"name": "anggota", "password": PASSWORD}).text,
                 "too many wrong passwords; the account is locked for 15 minutes")  # fmt: skip
        c.post("/login", data={"name": "tamu", "password": PASSWORD})
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/").text)
        assert token
        forbidden = c.post("/sessions/1/order", data={"csrf": token.group(1), "mode": "level"})
        assert forbidden.status_code == 403
        _english(forbidden.text, "the role 'viewer' may not do this; it needs 'secretariat'")
        stale = c.post("/logout", data={"csrf": "old"})
        assert stale.status_code == 403
        _english(stale.text, "the form's security token is missing or stale")
    store.dispose()
