"""The app's routes on the demo round: open, go through posts, decide, conflict, close, reopen."""

from __future__ import annotations

import io
import re

from docx import Document

from engine.app.live import LiveRound

from .conftest import DEMO, shortlists

POST = "BAPENDA.KEPALA"


def _open(client) -> str:
    r = client.post("/sessions", data={"scenario": "scenarios/demo.yaml"})
    assert r.status_code == 200
    return str(r.url.path)


def _second_name(demo_round: LiveRound) -> str:
    return shortlists()[POST][1].nip


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
    first = shortlists()[POST][0]
    assert first.nama in r.text and "jpt-pratama.pelatihan" in r.text
    second = shortlists()[POST][1]
    assert second.price > 0
    assert f">{second.price}<" in r.text  # the price of the second name, as plan.json has it


def test_a_person_is_explained_rule_by_rule(client, demo_round):
    base = _open(client)
    r = client.get(f"{base}/people/{_second_name(demo_round)}", params={"post": POST})
    assert "MEMENUHI SYARAT" in r.text and "PP 11/2017" in r.text


def test_choosing_another_candidate_is_previewed_then_recorded(client, store, demo_round):
    base = _open(client)
    nip = _second_name(demo_round)
    # The re-solve with the pin costs what the plan's shortlist price (from the
    # optimum's duals) says: two computations that must agree.
    price = shortlists()[POST][1].price
    proposed = shortlists()[POST][0].nama
    data = {"action": "choose", "nip": nip, "reason": "berpengalaman", "version": "0"}
    preview = client.get(f"{base}/posts/{POST}/preview", params=data)
    assert re.search(rf'id="price">{price}<', preview.text)
    assert proposed in preview.text  # the proposed person, displaced
    assert store.events(1) == []  # a preview records nothing
    r = _decide(client, base, data)
    assert r.status_code == 200 and "calon lain dipilih" in r.text
    (event,) = store.events(1)
    assert (event.kind, event.nip, event.price, event.reason) == (
        "choose",
        nip,
        price,
        "berpengalaman",
    )
    assert any(proposed == d["nama"] for d in event.displaced)


def test_a_conflicting_decision_from_a_second_browser_is_refused(client, store, demo_round):
    base = _open(client)
    nip = _second_name(demo_round)
    assert _decide(client, base, {"action": "accept", "version": "0"}).status_code == 200
    late = {"action": "choose", "nip": nip, "reason": "x", "version": "0"}
    r = _decide(client, base, late)
    assert r.status_code == 409 and "diubah oleh pengguna lain" in r.text
    assert [e.kind for e in store.events(1)] == ["accept"]


def test_an_exclusion_needs_a_reason_and_bad_input_is_a_message(client, demo_round):
    base = _open(client)
    nip = _second_name(demo_round)
    r = _decide(client, base, {"action": "exclude", "nip": nip, "reason": "", "version": "0"})
    assert r.status_code == 400 and "alasan wajib diisi" in r.text
    assert client.get(f"{base}/posts/NOPE").status_code == 404
    assert client.get("/sessions/77").status_code == 404
    r = _decide(client, base, {"action": "choose", "nip": "123", "reason": "x", "version": "0"})
    assert r.status_code == 400 and "tidak ada dalam tabel pegawai" in r.text
    r = _decide(client, base, {"action": "choose", "nip": nip, "reason": "x", "version": "v"})
    assert r.status_code == 400 and "bukan angka" in r.text


def test_a_closed_session_gives_minutes_and_recommendation_and_reopens_as_a_child(
    client, store, demo_round
):
    base = _open(client)
    nip = _second_name(demo_round)
    _decide(client, base, {"action": "exclude", "nip": nip, "reason": "sedang tugas belajar", "version": "0"})  # fmt: skip
    client.post(f"{base}/order", data={"mode": "level"})
    r = client.post(f"{base}/close", data={"members": "Ketua Satu\nAnggota Dua", "place": "Padang Aro", "version": "1"})  # fmt: skip
    assert r.status_code == 200 and "ditutup" in r.text
    docx = Document(io.BytesIO(client.get(f"{base}/files/berita-acara.docx").content))
    text = "\n".join(c.text for t in docx.tables for row in t.rows for c in row.cells)
    assert "sedang tugas belajar" in text and "Anggota Dua" in text
    rec = client.get(f"{base}/files/rekomendasi-ppk.docx").content
    rec_text = "\n".join(
        c.text for t in Document(io.BytesIO(rec)).tables for row in t.rows for c in row.cells
    )
    assert shortlists()[POST][0].nama in rec_text and nip not in rec_text
    assert client.get(f"{base}/files/plan.json").json()["status"] == "OPTIMAL"
    refused = _decide(client, base, {"action": "accept", "version": "2"})
    assert refused.status_code == 409
    child = client.post(f"{base}/reopen")
    assert child.status_code == 200 and "lanjutan dari sesi" in child.text
    assert store.session(2).parent_id == 1
    assert [e.nip for e in store.events(2)] == [nip]  # the exclusion still applies
    assert store.order(2).mode == "level"  # the committee's order goes on


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

    real = shortlists()[POST]
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
    proposed = shortlists()[POST][0].nama
    assert "Kepala Badan Pendapatan Daerah" in differs and proposed in differs


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


def test_comments_on_a_post_and_a_person_are_kept_and_minuted(client, store, demo_round):
    base = _open(client)
    nip = _second_name(demo_round)
    nama = demo_round.name(demo_round.person_index[nip])
    r = client.post(f"{base}/posts/{POST}/comment", data={"text": "unit ini butuh penyegaran"})
    assert r.status_code == 200 and "unit ini butuh penyegaran" in r.text
    about = {"text": "pernah memimpin tim pajak daerah", "nip": nip}
    client.post(f"{base}/posts/{POST}/comment", data=about)
    assert client.post(f"{base}/posts/{POST}/comment", data={"text": "  "}).status_code == 400
    assert (
        client.post(f"{base}/posts/{POST}/comment", data={"text": "x", "nip": "1"}).status_code
        == 400
    )
    assert client.post(f"{base}/posts/NOPE/comment", data={"text": "x"}).status_code == 404
    assert [(c.nip, c.text) for c in store.comments(1)] == [
        (None, "unit ini butuh penyegaran"),
        (nip, "pernah memimpin tim pajak daerah"),
    ]
    assert "pernah memimpin tim pajak daerah" in client.get(base).text  # the session's list too
    client.post(f"{base}/close", data={"members": "Ketua", "version": "0"})
    docx = Document(io.BytesIO(client.get(f"{base}/files/berita-acara.docx").content))
    rows = [[c.text for c in row.cells] for t in docx.tables for row in t.rows]
    minuted = [r for r in rows if "pernah memimpin tim pajak daerah" in r]
    assert minuted and nama in minuted[0] and "Kepala Badan Pendapatan Daerah" in minuted[0]
    assert "unit ini butuh penyegaran" in client.get(f"{base}/files/berita-acara.html").text
    late = client.post(f"{base}/posts/{POST}/comment", data={"text": "terlambat"})
    assert late.status_code == 409 and len(store.comments(1)) == 2


def _posts_listed(html: str) -> list[str]:
    table = html[html.index('id="posts"') :]
    return re.findall(r'<tr class="status-\w+" id="row-([^"]+)"', table)


def test_the_committee_sets_the_order_of_the_posts_and_it_is_kept(client, store, demo_round):
    base = _open(client)
    by_unit = _posts_listed(client.get(base).text)
    posts = demo_round.ctx.posts
    level = {str(p): int(v) for p, v in zip(posts.jabatan_id, posts.level, strict=True)}
    unit = {str(p): str(u) for p, u in zip(posts.jabatan_id, posts.unit, strict=True)}
    assert [unit[p] for p in by_unit] == sorted(unit[p] for p in by_unit)
    client.post(f"{base}/order", data={"mode": "level"})
    by_level = _posts_listed(client.get(base).text)
    assert [level[p] for p in by_level] == sorted((level[p] for p in by_level), reverse=True)
    assert store.order(1).mode == "level"
    last = by_level[-1]
    client.post(f"{base}/order", data={"move": last, "step": "up"})
    manual = _posts_listed(client.get(base).text)
    assert manual == [*by_level[:-2], last, by_level[-2]]
    assert store.order(1).mode == "manual"
    # The post page follows the session's order: previous and next.
    page = client.get(f"{base}/posts/{last}").text
    assert (
        f'/posts/{by_level[-3]}" id="prev"' in page and f'/posts/{by_level[-2]}" id="next"' in page
    )
    # Filters apply on top of the order; a wrong mode is a message.
    filtered = _posts_listed(client.get(base, params={"level": "Pengawas"}).text)
    assert filtered == [p for p in manual if p in filtered] and len(filtered) < len(manual)
    assert client.post(f"{base}/order", data={"mode": "alfabet"}).status_code == 400
    # The status order: undecided first, the decided last.
    _decide(client, base, {"action": "accept", "version": "0"})
    client.post(f"{base}/order", data={"mode": "status"})
    assert _posts_listed(client.get(base).text)[-1] == POST


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(p.extract_text() for p in reader.pages)


def test_the_minutes_and_the_recommendation_are_also_pdf(client, demo_round):
    base = _open(client)
    nip = _second_name(demo_round)
    nama = demo_round.name(demo_round.person_index[nip])
    client.post(f"{base}/posts/{POST}/comment", data={"text": "rekam jejak “baik” → lanjut"})
    data = {"action": "choose", "nip": nip, "reason": "pengalaman di bidang pajak", "version": "0"}
    _decide(client, base, data)
    client.post(f"{base}/close", data={"members": "Ketua Satu\nAnggota Dua", "place": "Padang Aro",
                                       "number": "800/7/BA", "version": "1"})  # fmt: skip
    r = client.get(f"{base}/files/berita-acara.pdf")
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF-")
    text = " ".join(_pdf_text(r.content).split())
    for expected in ("BERITA ACARA SIDANG", "800/7/BA", "Anggota Dua", "Padang Aro",
                     "pengalaman di bidang pajak", "Memilih calon lain", "rekam jejak “baik” → lanjut",
                     shortlists()[POST][0].nama.split(",")[0]):  # fmt: skip
        assert expected in text, expected
    price = shortlists()[POST][1].price
    assert nama.split(",")[0] in text and f" {price} " in f" {text} "  # who, and the price
    rec = " ".join(_pdf_text(client.get(f"{base}/files/rekomendasi-ppk.pdf").content).split())
    shortlist = shortlists()[POST]
    assert "REKOMENDASI KEPADA PEJABAT PEMBINA KEPEGAWAIAN" in rec
    assert nama.split(",")[0] in rec and nip in rec
    assert f"{shortlist[0].nama.split(',')[0]}" in rec  # the displaced proposal is still a name
    ranked = rec[rec.index("Kepala Badan Pendapatan Daerah (") :]
    assert ranked.index(nip) < ranked.index(shortlist[0].nip)  # the committee's choice first


def test_the_session_plan_side_by_side_with_the_proposal_or_another_scenario(client, demo_round):
    base = _open(client)
    nip = _second_name(demo_round)
    nama = demo_round.name(demo_round.person_index[nip])
    data = {"action": "choose", "nip": nip, "reason": "r", "version": "0"}
    _decide(client, base, data)
    r = client.get(f"{base}/compare")
    assert r.status_code == 200
    posts = r.text[r.text.index('id="posts-differ"') :]
    row = posts[posts.index("BAPENDA.KEPALA") : posts.index("</tr>", posts.index("BAPENDA.KEPALA"))]
    proposed = shortlists()[POST][0].nama
    assert nama in row.split("<td>")[1] and proposed in row.split("<td>")[2]
    lines = r.text[r.text.index('id="lines"') :]
    assert "Masukan: pins pada Rencana sesi 1" in lines  # the decision is an input difference
    # Another scenario the app knows: the same folder's what-if on JPT education.
    other = str(DEMO.parent.resolve() / "jpt-s2.yaml")
    r = client.get(f"{base}/compare", params={"with": other})
    assert r.status_code == 200 and "scenarios/jpt-s2.yaml" in r.text
    assert "Aturan jpt-pratama.pendidikan diubah oleh skenario JPT Pratama wajib S2" in r.text
    refused = client.get(f"{base}/compare", params={"with": "/etc/passwd"})
    assert refused.status_code == 400 and "tidak dikenal" in refused.text
    assert 'id="compare-link"' in client.get(f"{base}/round").text


def test_a_post_shows_each_names_obligations_and_missing_assessment(client, demo_round):
    # A proposed Pengawas without an assessment and without PKP: appointed on the demo's
    # date (2026-07-01), PKP is due within 12 months (2027-07-01). plan.json says the same.
    due = ["wajib PKP paling lambat 2027-07-01"]
    placed = next(
        p
        for p in demo_round.record.placements
        if p.missing_data == ["potensi"] and [o.text("id") for o in p.obligations] == due
    )
    post, nip = placed.to.jabatan_id, placed.nip
    base = _open(client)
    page = client.get(f"{base}/posts/{post}").text
    row = re.search(rf'<tr class="proposed">.*?{nip}.*?</tr>', page, flags=re.S)
    assert row, page
    obligations = re.search(r'<td class="obligations">(.*?)</td>', row.group(0)).group(1)
    missing = re.search(r'<td class="missing">(.*?)</td>', row.group(0)).group(1)
    assert obligations == "wajib PKP paling lambat 2027-07-01"
    assert missing == "potensi tanpa hasil penilaian (dinilai netral)"
    client.cookies.set("talenta_lang", "en")
    english = client.get(f"{base}/posts/{post}").text
    assert "must complete PKP by 2027-07-01" in english
    assert "potential without an assessment (counted neutral)" in english
    assert "Obligations if appointed" in english
