"""The app's routes on the demo round: open, go through posts, decide, conflict, close, reopen."""

from __future__ import annotations

import io
import re

from docx import Document

from engine.app.live import LiveRound

POST = "BAPENDA.KEPALA"


def _open(client) -> str:
    r = client.post("/sessions", data={"scenario": "scenarios/demo.yaml"})
    assert r.status_code == 200
    return str(r.url.path)


def _second_name(demo_round: LiveRound) -> str:
    return demo_round.record.shortlists[POST][1].nip


def _decide(client, base: str, data: dict[str, str]):
    return client.post(f"{base}/posts/{POST}/decide", data=data)


def test_opening_a_session_shows_the_open_posts_and_records_the_inputs(client, store, demo_round):
    base = _open(client)
    r = client.get(base)
    assert POST in r.text and "Kepala Badan Pendapatan Daerah" in r.text
    assert store.session(1).inputs_sha256 == dict(demo_round.record.manifest.inputs_sha256)
    filtered = client.get(base, params={"level": "Pengawas"})
    assert POST not in filtered.text


def test_a_post_shows_three_names_with_fit_components_and_price(client, demo_round):
    base = _open(client)
    r = client.get(f"{base}/posts/{POST}")
    rows = re.findall(r"<tr(?: class=\"proposed\")?><td>(\d)</td>", r.text)
    assert rows == ["1", "2", "3"]
    first = demo_round.record.shortlists[POST][0]
    assert first.nama in r.text and "jpt-pratama.pelatihan" in r.text
    assert ">2.8<" in r.text  # the price of the second name, as plan.json has it


def test_a_person_is_explained_rule_by_rule(client, demo_round):
    base = _open(client)
    r = client.get(f"{base}/people/{_second_name(demo_round)}", params={"post": POST})
    assert "MEMENUHI SYARAT" in r.text and "PP 11/2017" in r.text


def test_choosing_another_candidate_is_previewed_then_recorded(client, store, demo_round):
    base = _open(client)
    nip = _second_name(demo_round)
    data = {"action": "choose", "nip": nip, "reason": "berpengalaman", "version": "0"}
    preview = client.get(f"{base}/posts/{POST}/preview", params=data)
    assert re.search(r'id="price">2.8<', preview.text)
    assert "Liswayeni" in preview.text  # the proposed person, displaced
    assert store.events(1) == []  # a preview records nothing
    r = _decide(client, base, data)
    assert r.status_code == 200 and "calon lain dipilih" in r.text
    (event,) = store.events(1)
    assert (event.kind, event.nip, event.price, event.reason) == (
        "choose",
        nip,
        2.8,
        "berpengalaman",
    )
    assert any("Liswayeni" in d["nama"] for d in event.displaced)


def test_a_conflicting_decision_from_a_second_browser_is_refused(client, store, demo_round):
    base = _open(client)
    nip = _second_name(demo_round)
    assert _decide(client, base, {"action": "accept", "version": "0"}).status_code == 200
    late = {"action": "choose", "nip": nip, "reason": "x", "version": "0"}
    r = _decide(client, base, late)
    assert r.status_code == 409 and "changed by someone else" in r.text
    assert [e.kind for e in store.events(1)] == ["accept"]


def test_an_exclusion_needs_a_reason_and_bad_input_is_a_message(client, demo_round):
    base = _open(client)
    nip = _second_name(demo_round)
    r = _decide(client, base, {"action": "exclude", "nip": nip, "reason": "", "version": "0"})
    assert r.status_code == 400 and "reason is required" in r.text
    assert client.get(f"{base}/posts/NOPE").status_code == 404
    assert client.get("/sessions/77").status_code == 404
    r = _decide(client, base, {"action": "choose", "nip": "123", "reason": "x", "version": "0"})
    assert r.status_code == 400 and "not in the pegawai table" in r.text
    r = _decide(client, base, {"action": "choose", "nip": nip, "reason": "x", "version": "v"})
    assert r.status_code == 400 and "not a number" in r.text


def test_a_closed_session_gives_minutes_and_recommendation_and_reopens_as_a_child(
    client, store, demo_round
):
    base = _open(client)
    nip = _second_name(demo_round)
    _decide(client, base, {"action": "exclude", "nip": nip, "reason": "sedang tugas belajar", "version": "0"})  # fmt: skip
    r = client.post(f"{base}/close", data={"members": "Ketua Satu\nAnggota Dua", "place": "Padang Aro", "version": "1"})  # fmt: skip
    assert r.status_code == 200 and "ditutup" in r.text
    docx = Document(io.BytesIO(client.get(f"{base}/files/berita-acara.docx").content))
    text = "\n".join(c.text for t in docx.tables for row in t.rows for c in row.cells)
    assert "sedang tugas belajar" in text and "Anggota Dua" in text
    rec = client.get(f"{base}/files/rekomendasi-ppk.docx").content
    rec_text = "\n".join(
        c.text for t in Document(io.BytesIO(rec)).tables for row in t.rows for c in row.cells
    )
    assert demo_round.record.shortlists[POST][0].nama in rec_text and nip not in rec_text
    assert client.get(f"{base}/files/plan.json").json()["status"] == "OPTIMAL"
    refused = _decide(client, base, {"action": "accept", "version": "2"})
    assert refused.status_code == 409
    child = client.post(f"{base}/reopen")
    assert child.status_code == 200 and "lanjutan dari sesi" in child.text
    assert store.session(2).parent_id == 1
    assert [e.nip for e in store.events(2)] == [nip]  # the exclusion still applies


def test_changed_inputs_are_told_and_a_reopened_session_uses_them(tmp_path, store, demo_round):
    import shutil

    from starlette.testclient import TestClient

    from engine.app.web import create_app

    root = demo_round.scenario.parents[1]
    for folder in ("scenarios", "rules", "data/demo"):
        shutil.copytree(root / folder, tmp_path / folder)
    scenario = tmp_path / "scenarios" / "demo.yaml"
    with TestClient(create_app(store, scenario), follow_redirects=True) as client:
        base = str(client.post("/sessions", data={"scenario": str(scenario)}).url.path)
        nip = _second_name(demo_round)
        _decide(client, base, {"action": "choose", "nip": nip, "reason": "r", "version": "0"})
        assert 'id="changed"' not in client.get(base).text
        with (tmp_path / "data" / "demo" / "jabatan.csv").open("a") as f:
            f.write("\n")  # the same table, another file
        assert "data.jabatan" in client.get(base).text
        client.post(f"{base}/close", data={"members": "A", "version": "1"})
        child = client.post(f"{base}/reopen")
        assert 'id="changed"' not in child.text and 'id="dropped"' not in child.text
    first, second = store.session(1), store.session(2)
    assert first.inputs_sha256["data.jabatan"] != second.inputs_sha256["data.jabatan"]
    assert [(e.kind, e.nip) for e in store.events(2)] == [("choose", nip)]


def test_pseudonymised_sessions_show_and_write_no_real_name(store, demo_round):
    from starlette.testclient import TestClient

    from engine.app.web import create_app

    real = demo_round.record.shortlists[POST]
    app = create_app(store, demo_round.scenario, pseudonymise=True)
    with TestClient(app, follow_redirects=True) as client:
        base = str(client.post("/sessions", data={"scenario": str(demo_round.scenario)}).url.path)
        page = client.get(f"{base}/posts/{POST}").text
        shown = re.findall(r'name="nip" value="(PSN-[0-9A-F]{10})"', page)
        assert shown and "Pegawai " in page
        assert all(e.nama not in page and e.nip not in page for e in real)
        data = {"action": "choose", "nip": shown[0], "reason": "latihan", "version": "0"}
        assert _decide(client, base, data).status_code == 200
        client.post(f"{base}/close", data={"members": "Ketua", "version": "1"})
        plan = client.get(f"{base}/files/plan.json").json()
        minutes = client.get(f"{base}/files/berita-acara.html").text
    placed = [p for p in plan["placements"] if p["to"]["jabatan_id"] == POST]
    assert [p["nip"] for p in placed] == [shown[0]]  # the decision held, under its pseudonym
    assert plan["manifest"]["pseudonymised"]
    assert all(e.nama not in minutes and e.nip not in minutes for e in real)


def test_the_round_page_shows_the_session_plan_against_the_proposal(client, demo_round):
    base = _open(client)
    assert "Tidak ada: rencana sesi sama" in client.get(f"{base}/round").text
    data = {"action": "choose", "nip": _second_name(demo_round), "reason": "r", "version": "0"}
    _decide(client, base, data)
    r = client.get(f"{base}/round")
    assert r.status_code == 200 and "<svg" in r.text
    differs = r.text[r.text.index('id="differs"') :]
    assert "Kepala Badan Pendapatan Daerah" in differs and "Liswayeni" in differs


def test_the_pages_switch_to_english_and_back(client):
    base = _open(client)
    assert "Jabatan terbuka" in client.get(base).text
    r = client.get("/lang/en", headers={"referer": f"http://testserver{base}?level=Pengawas"})
    assert str(r.url).endswith(f"{base}?level=Pengawas")
    assert "Open posts" in r.text and "Jabatan terbuka" not in r.text
    post = client.get(f"{base}/posts/{POST}").text
    assert "Choose another candidate" in post and 'lang="en"' in post
    assert "Sidang penempatan" in client.get("/lang/id").text  # no referer: the first page
    assert client.get("/lang/fr").status_code == 404


def test_the_round_page_in_english_draws_its_figures_and_pictures_in_english(client):
    """Issue 15 item 9: the round page followed the pages' language for its words but drew
    its figures and pictures in Indonesian."""
    base = _open(client)
    client.get("/lang/en", headers={"referer": f"http://testserver{base}"})
    page = client.get(f"{base}/round").text
    assert "Posts opened" in page and "Vacancy chains" in page and "Talent box" in page
    assert "Jabatan terbuka" not in page and "Rantai kekosongan" not in page
    client.get("/lang/id", headers={"referer": f"http://testserver{base}"})
    assert "Jabatan terbuka" in client.get(f"{base}/round").text
