"""Login when bound to another address than localhost: roles, CSRF, lock-out, hashed secrets."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import sqlalchemy as sa

from engine.app.access import MAX_FAILURES, add_account
from engine.app.store import Store, accounts_table, logins_table
from engine.app.web import create_app

from .conftest import DEMO

PASSWORD = "rahasia-sidang-2026"
POST = "BAPENDA.KEPALA"
S = "/sessions/1"
READ = [
    ("GET", "/"),
    ("GET", S),
    ("GET", f"{S}/round"),
    ("GET", f"{S}/posts/{POST}"),
    ("GET", f"{S}/people/197707262006012254?post={POST}"),
    ("GET", f"{S}/files/plan.json"),
]
WRITE = [
    ("POST", "/sessions"),
    ("GET", f"{S}/posts/{POST}/preview?action=accept&version=0"),
    ("POST", f"{S}/posts/{POST}/decide"),
    ("GET", f"{S}/close"),
    ("POST", f"{S}/close"),
    ("POST", f"{S}/reopen"),
]


@pytest.fixture
def store(tmp_path) -> Store:
    """Access is the app's, not the database's: SQLite only (the store tests run on both)."""
    s = Store(f"sqlite:///{tmp_path / 'sessions.db'}")
    yield s
    s.dispose()


@pytest.fixture
def secure(store: Store, demo_round):
    from starlette.testclient import TestClient

    for name, role in (("sekretaris", "secretariat"), ("anggota", "member"), ("tamu", "viewer")):
        add_account(store, name, role, PASSWORD)
    store.open_session(str(DEMO), "demo", {}, "sekretaris")
    app = create_app(store, DEMO, login=True)
    app.state.talenta.add_round(demo_round)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as c:
        yield c


def _login(client, name: str, password: str = PASSWORD):
    return client.post("/login", data={"name": name, "password": password})


def _csrf(client) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert found
    return found.group(1)


@pytest.mark.parametrize(("method", "path"), READ + WRITE)
def test_every_route_sends_an_anonymous_user_to_the_login(secure, method, path) -> None:
    r = secure.request(method, path)
    assert r.status_code == 303 and r.headers["location"] == "/login"


@pytest.mark.parametrize(("method", "path"), WRITE)
@pytest.mark.parametrize("name", ["anggota", "tamu"])
def test_members_and_viewers_may_not_decide_open_or_close(secure, name, method, path) -> None:
    assert _login(secure, name).status_code == 303
    r = secure.request(method, path, data={"csrf": _csrf(secure)} if method == "POST" else None)
    assert r.status_code == 403 and "tidak boleh melakukan ini" in r.text


def test_a_viewer_reads_the_session(secure) -> None:
    _login(secure, "tamu")
    assert secure.get(S).status_code == 200
    assert "Kepala Badan Pendapatan Daerah" in secure.get(f"{S}/posts/{POST}").text


def test_the_secretariat_decides_only_with_the_login_csrf_token(secure, store) -> None:
    login = _login(secure, "sekretaris")
    assert "secure" in login.headers["set-cookie"].lower()
    assert "httponly" in login.headers["set-cookie"].lower()
    data = {"action": "accept", "version": "0"}
    refused = secure.post(f"{S}/posts/{POST}/decide", data=data)
    assert refused.status_code == 403 and "token keamanan" in refused.text
    ok = secure.post(f"{S}/posts/{POST}/decide", data={**data, "csrf": _csrf(secure)})
    assert ok.status_code == 303
    assert [(e.kind, e.user) for e in store.events(1)] == [("accept", "sekretaris")]


def test_repeated_wrong_passwords_lock_the_account(secure) -> None:
    for _ in range(MAX_FAILURES):
        r = _login(secure, "anggota", "salah-sekali-lagi")
        assert r.status_code == 401 and "nama atau kata sandi salah" in r.text
    locked = _login(secure, "anggota")
    assert locked.status_code == 401 and "dikunci" in locked.text
    unknown = _login(secure, "tidak-ada")
    assert unknown.status_code == 401 and "nama atau kata sandi salah" in unknown.text


def test_passwords_and_login_tokens_are_stored_only_hashed(secure, store) -> None:
    _login(secure, "sekretaris")
    token = secure.cookies.get("talenta_login")
    with store.engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(sa.select(accounts_table.c.password_hash))]
        tokens = [r[0] for r in conn.execute(sa.select(logins_table.c.token_sha256))]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert token and token not in tokens and len(tokens) == 1


def test_logging_out_ends_the_login(secure) -> None:
    _login(secure, "sekretaris")
    assert secure.post("/logout", data={"csrf": _csrf(secure)}).status_code == 303
    assert secure.get(S).headers.get("location") == "/login"


def _serve(*args: str, stdin: str = "", lang: str = "en") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", "serve", *args, "--lang", lang],
        input=stdin, capture_output=True, text=True, timeout=120, cwd=DEMO.parents[1],
    )  # fmt: skip


def test_serving_beyond_localhost_needs_an_account_first(tmp_path) -> None:
    db = str(tmp_path / "s.db")
    refused = _serve("--host", "0.0.0.0", "--db", db)
    assert refused.returncode == 2
    assert "--add-account NAME:secretariat" in " ".join(refused.stderr.split())
    assert "Traceback" not in refused.stderr
    ditolak = _serve("--host", "0.0.0.0", "--db", db, lang="id")  # the default language
    assert "aplikasi memerlukan akun" in " ".join(ditolak.stderr.split())
    bad = _serve("--db", db, "--add-account", "ketua:boss", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert bad.returncode == 2
    assert "ROLE one of viewer, member, secretariat" in " ".join(bad.stderr.split())
    added = _serve("--db", db, "--add-account", "ketua:secretariat", stdin=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert added.returncode == 0 and "account 'ketua' (secretariat) saved" in added.stdout
    nowhere = _serve("--db", str(tmp_path / "no" / "such" / "dir.db"))
    assert nowhere.returncode == 2 and "the database cannot be opened" in nowhere.stderr
    assert "Traceback" not in nowhere.stderr


def test_adding_an_account_asks_and_says_in_the_run_language(tmp_path) -> None:
    db = str(tmp_path / "s.db")
    typed = f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n"  # a mistyped repeat first
    said = {lang: _serve("--db", db, "--add-account", f"k{lang}:member", stdin=typed, lang=lang)
            for lang in ("id", "en")}  # fmt: skip
    assert said["id"].returncode == 0 and said["en"].returncode == 0
    out = {lang: "".join(run.stdout.split("\n")) for lang, run in said.items()}  # wrapped at 80
    assert f"akun 'kid' (member) disimpan di {db}" in out["id"]
    assert f"account 'ken' (member) saved in {db}" in out["en"]
    assert "Kata sandi:" in said["id"].stdout and "Ulangi kata sandi:" in said["id"].stdout
    assert "Password:" in said["en"].stdout and "Repeat the password:" in said["en"].stdout
    assert "kedua kata sandi tidak sama; ulangi" in said["id"].stderr
    assert "the two passwords differ; try again" in said["en"].stderr
    for lang, other in (("id", "saved in"), ("en", "disimpan di")):
        assert other not in said[lang].stdout and "Repeat for confirmation" not in said[lang].stdout


COMMENT = f"{S}/posts/{POST}/comment"


@pytest.mark.parametrize("name", ["sekretaris", "anggota"])
def test_the_secretariat_and_members_comment_on_a_post(secure, store, name) -> None:
    _login(secure, name)
    data = {"csrf": _csrf(secure), "text": "perlu dicek riwayat diklatnya", "nip": ""}
    r = secure.post(COMMENT, data=data)
    assert r.status_code == 303 and r.headers["location"].endswith(f"/posts/{POST}#comments")
    (c,) = store.comments(1)
    assert (c.user, c.jabatan_id, c.nip, c.text) == (name, POST, None, data["text"])
    assert store.session(1).version == 0  # a comment decides nothing: no form goes stale
    page = secure.get(f"{S}/posts/{POST}").text
    assert "perlu dicek riwayat diklatnya" in page and 'id="comment-form"' in page


def test_a_viewer_reads_comments_but_may_not_comment(secure, store) -> None:
    _login(secure, "anggota")
    secure.post(COMMENT, data={"csrf": _csrf(secure), "text": "catatan anggota"})
    secure.post("/logout", data={"csrf": _csrf(secure)})
    _login(secure, "tamu")
    page = secure.get(f"{S}/posts/{POST}").text
    assert "catatan anggota" in page and 'id="comment-form"' not in page
    r = secure.post(COMMENT, data={"csrf": _csrf(secure), "text": "tamu ingin bicara"})
    assert r.status_code == 403 and "tidak boleh melakukan ini" in r.text
    assert [c.text for c in store.comments(1)] == ["catatan anggota"]


def test_a_comment_needs_the_login_csrf_token_and_a_login(secure, store) -> None:
    assert secure.post(COMMENT, data={"text": "x"}).headers["location"] == "/login"
    _login(secure, "anggota")
    r = secure.post(COMMENT, data={"text": "tanpa token"})
    assert r.status_code == 403 and "token keamanan" in r.text
    assert store.comments(1) == []


@pytest.mark.parametrize("name", ["anggota", "tamu"])
def test_members_and_viewers_may_not_set_the_order(secure, store, name) -> None:
    _login(secure, name)
    r = secure.post(f"{S}/order", data={"csrf": _csrf(secure), "mode": "level"})
    assert r.status_code == 403
    assert store.order(1).mode == "unit"
    assert 'id="order-form"' not in secure.get(S).text


def test_members_and_viewers_see_no_decision_forms(secure) -> None:
    _login(secure, "anggota")
    post = secure.get(f"{S}/posts/{POST}").text
    assert 'id="accept-form"' not in post and 'class="choose"' not in post
    assert 'id="open-form"' not in secure.get("/").text
    assert 'id="close-link"' not in secure.get(S).text
    secure.post("/logout", data={"csrf": _csrf(secure)})
    _login(secure, "sekretaris")
    post = secure.get(f"{S}/posts/{POST}").text
    assert 'id="accept-form"' in post and 'class="choose"' in post
