"""The committee's web app: routes over the session store and the loaded round.

Takes a :class:`~engine.app.store.Store` and an optional default scenario;
gives a Starlette ASGI app (:func:`create_app`) and :func:`serve`, which
runs it with uvicorn. Pages are rendered on the server from Jinja2
templates; forms are plain HTML with POST-redirect-GET, so no JavaScript is
needed and nothing is fetched from outside. A decision is previewed with a
GET (it changes nothing) and confirmed with a POST that names the session
version it was made on.

Handlers are ``async`` and run the solver inline: the event loop then
serialises every request, so a round's caches are never touched by two
requests at once (a committee app has a handful of users). The access log
is off: URLs carry NIPs, and personal data never goes to logs.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import numpy as np
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from engine.app import documents
from engine.app.access import (
    LOCK_MINUTES,
    Account,
    LoginError,
    account_of,
    has_accounts,
    log_in,
    log_out,
)
from engine.app.agenda import moved, neighbours, ordered
from engine.app.decisions import (
    ACTION_NAMES,
    NEEDS_REASON,
    DecisionError,
    InForce,
    fold,
    proposed_key,
)
from engine.app.i18n import LANGUAGES, Msg, msg, translator
from engine.app.live import LiveRound
from engine.app.store import (
    ORDER_MODES,
    ClosedError,
    ConflictError,
    Event,
    NoSessionError,
    PostOrder,
    SessionRow,
    Store,
    StoreError,
)
from engine.errors import InputError, TalentaError, message, messages_language
from engine.i18n import CONSOLE
from engine.inputs.data import file_sha256

__all__ = ["AppState", "create_app", "serve"]

log = logging.getLogger("talenta.app")
HERE = Path(__file__).parent
USER_COOKIE = "talenta_user"
LOGIN_COOKIE = "talenta_login"
LANG_COOKIE = "talenta_lang"
MAX_TEXT = 2000  # characters kept of a reason or a name typed in a form


@dataclass
class AppState:
    """What the app keeps in the server process: the store and the loaded rounds."""

    store: Store
    default_scenario: Path | None
    login: bool = False  # accounts and logins: on when bound to an address other than localhost
    pseudonymise: bool = False  # names and NIPs shown as pseudonyms (projection, training)
    rounds: dict[str, LiveRound] = field(default_factory=dict)  # by scenario and input hashes

    def add_round(self, live: LiveRound) -> LiveRound:
        self.rounds[_round_key(str(live.scenario), live.inputs)] = live
        return live

    def round_for(self, scenario: str, inputs: dict[str, str] | None = None) -> LiveRound:
        """The round of a scenario, loaded once per server process and set of inputs.

        With ``inputs`` (a session's), the round loaded on those inputs if it
        is still in memory; otherwise, or without them, the round of the
        files as they are now (loaded again if a file has changed).
        """
        path = str(Path(scenario).resolve())
        if inputs is not None and _round_key(path, inputs) in self.rounds:
            return self.rounds[_round_key(path, inputs)]
        for live in self.rounds.values():
            if str(live.scenario) == path and not changed_inputs(live.inputs, live):
                return live
        return self.add_round(LiveRound(Path(path), pseudonymise=self.pseudonymise))


def _round_key(path: str, inputs: dict[str, str]) -> str:
    return str(Path(path).resolve()) + "\n" + json.dumps(inputs, sort_keys=True)


def changed_inputs(inputs: dict[str, str], live: LiveRound) -> list[str]:
    """Roles of the input files whose content now differs from ``inputs``."""
    changed = []
    for role, path in live.ctx.input_files.items():
        try:
            now = file_sha256(path)
        except OSError:
            now = ""
        if inputs.get(role) not in (None, now):
            changed.append(role)
    return sorted(changed)


class PageError(Exception):
    """A request the app refuses, with the status and the message shown to the user.

    ``text`` is a sentence of the app's catalogue (engine.app.i18n) and
    ``params`` its fields: the message is put in words in the reader's
    language when the page is made.
    """

    def __init__(self, status: int, text: str | Msg, **params: Any) -> None:
        self.message = text if isinstance(text, Msg) else Msg(text, params)
        super().__init__(str(self.message))
        self.status = status


def store_refusal(exc: StoreError) -> PageError:
    """The page for a write the store refused, in the catalogue's words."""
    if isinstance(exc, ConflictError):
        return PageError(
            409,
            "sesi telah diubah oleh pengguna lain (sekarang versi {current}, formulir dibuat pada "
            "versi {given}); muat ulang halaman lalu putuskan lagi",
            current=exc.current,
            given=exc.given,
        )
    if isinstance(exc, ClosedError):
        return PageError(409, "sesi {sid} sudah ditutup; buka kembali sebagai sesi baru",
                         sid=exc.session_id)  # fmt: skip
    if isinstance(exc, NoSessionError):
        return PageError(404, "tidak ada sesi {sid}", sid=exc.session_id)
    return PageError(409, "tidak dapat disimpan: {detail}", detail=str(exc))


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["num"] = lambda v: "-" if v is None else f"{v:.1f}"
    return env


ENV = _env()


def page(request: Request, name: str, http_status: int = 200, **values: Any) -> HTMLResponse:
    """A rendered page; every template gets the login's CSRF token and who is logged in."""
    who: Account | None = getattr(request.state, "who", None)
    lang = _lang(request)
    values.setdefault("lang", lang)
    values.setdefault("_", translator(lang))
    values.setdefault("csrf", who.csrf if who else "")
    values.setdefault("who", who if _state(request).login else None)
    values.setdefault("may_decide", who is not None and who.may("secretariat"))
    return HTMLResponse(ENV.get_template(name).render(**values), status_code=http_status)


def _lang(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "id")
    return lang if lang in LANGUAGES else "id"


async def set_lang(request: Request) -> Response:
    """Switch the pages' language (Indonesian by default) and go back where the user was."""
    lang = request.path_params["lang"]
    if lang not in LANGUAGES:
        raise PageError(404, "bahasa '{lang}' tidak tersedia; pilihan: id, en", lang=lang[:10])
    back = urlsplit(request.headers.get("referer", ""))
    target = back.path + (f"?{back.query}" if back.query else "") if back.path else "/"
    resp = RedirectResponse(target if target.startswith("/") else "/", status_code=303)
    resp.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="lax")
    return resp


class LoginNeeded(Exception):
    """The request needs a login; the user is sent to the login page."""


def _who(request: Request, need: str = "viewer") -> Account:
    """Who makes the request, refused unless their role may do ``need``.

    Without login (bound to localhost) everyone is the secretariat, under
    the name they set on the first page.
    """
    st = _state(request)
    if not st.login:
        name = request.cookies.get(USER_COOKIE, "") or "sekretariat"
        who = Account(name, "secretariat", "")
    else:
        account = account_of(st.store, request.cookies.get(LOGIN_COOKIE, ""))
        if account is None:
            raise LoginNeeded()
        who = account
    request.state.who = who
    if not who.may(need):
        raise PageError(
            403, "peran '{role}' tidak boleh melakukan ini; perlu peran '{need}'",
            role=who.role, need=need,
        )  # fmt: skip
    return who


def _user(request: Request) -> str:
    return _who(request).name


async def _form(request: Request) -> Any:
    """The posted form, refused unless it carries this login's CSRF token."""
    form = await request.form()
    who = _who(request)
    if _state(request).login and not hmac.compare_digest(str(form.get("csrf", "")), who.csrf):
        raise PageError(403, "token keamanan formulir hilang atau kedaluwarsa; muat ulang halaman")
    return form


def _state(request: Request) -> AppState:
    return request.app.state.talenta


def _text(form: Any, name: str) -> str:
    return str(form.get(name, "") or "").strip()[:MAX_TEXT]


NOT_A_NUMBER = {
    "session": "nomor sesi '{value}' bukan angka",
    "version": "versi '{value}' bukan angka",
}


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise PageError(400, NOT_A_NUMBER[what], value=value[:40]) from None


def _session(request: Request) -> tuple[SessionRow, LiveRound, InForce]:
    _who(request)
    st = _state(request)
    sid = _int(request.path_params["sid"], "session")
    try:
        row = st.store.session(sid)
    except StoreError as exc:
        raise store_refusal(exc) from None
    live = st.round_for(row.scenario, row.inputs_sha256)
    return row, live, fold(st.store.events(sid))


def _post(live: LiveRound, pid: str) -> int:
    if pid not in live.post_index:
        raise PageError(404, "tidak ada jabatan '{pid}' pada putaran ini", pid=pid[:60])
    return live.post_index[pid]


async def index(request: Request) -> Response:
    _who(request)
    st = _state(request)
    scenario = str(st.default_scenario) if st.default_scenario else ""
    return page(
        request,
        "index.html.j2",
        sessions=st.store.sessions(),
        scenario=scenario,
        user=_user(request),
    )


async def set_user(request: Request) -> Response:
    if _state(request).login:
        raise PageError(404, "dengan login, nama pengguna adalah nama akun")
    form = await _form(request)
    name = _text(form, "user") or "sekretariat"
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie(USER_COOKIE, name, httponly=True, samesite="strict")
    return resp


async def login_page(request: Request) -> Response:
    if not _state(request).login:
        return RedirectResponse("/", status_code=303)
    return page(request, "login.html.j2", error="")


async def login_post(request: Request) -> Response:
    st = _state(request)
    if not st.login:
        return RedirectResponse("/", status_code=303)
    form = await request.form()  # no login yet, so no CSRF token: SameSite cookies guard it
    try:
        token = log_in(st.store, _text(form, "name"), str(form.get("password", "")))
    except LoginError as exc:
        error = (
            msg("terlalu banyak kata sandi salah; akun dikunci selama {minutes} menit",
                minutes=LOCK_MINUTES)
            if exc.locked
            else msg("nama atau kata sandi salah")
        )  # fmt: skip
        return page(request, "login.html.j2", http_status=401, error=error)
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie(LOGIN_COOKIE, token, httponly=True, secure=True, samesite="strict")
    return resp


async def logout(request: Request) -> Response:
    await _form(request)
    log_out(_state(request).store, request.cookies.get(LOGIN_COOKIE, ""))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(LOGIN_COOKIE, httponly=True, secure=True, samesite="strict")
    return resp


async def open_session(request: Request) -> Response:
    _who(request, "secretariat")
    form = await _form(request)
    scenario = _text(form, "scenario")
    if not scenario:
        raise PageError(400, "sebutkan berkas skenario untuk membuka sesi")
    st = _state(request)
    if not Path(scenario).is_file():
        raise PageError(400, "berkas skenario '{path}' tidak ditemukan", path=scenario[:200])
    live = st.round_for(scenario)
    m = live.record.manifest
    sid = st.store.open_session(
        str(Path(scenario).resolve()), m.scenario.name, dict(m.inputs_sha256), _user(request)
    )
    return RedirectResponse(f"/sessions/{sid}", status_code=303)


def _agenda(live: LiveRound, current: Any, inforce: InForce) -> list[dict[str, Any]]:
    """Every open post of the session's plan as a row of the agenda (not yet ordered)."""
    posts = live.ctx.posts
    level = np.asarray(posts.level)
    rows = []
    for j in live.open_posts(current):
        pid = str(posts.jabatan_id[j])
        rows.append(
            {
                "pid": pid,
                "nama": live.post_name(j),
                "unit": str(posts.unit[j]),
                "level": str(posts.jenis_jabatan[j]),
                "rank": int(level[j]),
                "status": inforce.status(pid),
                "holder": live.name(int(current.holder[j])) if current.holder[j] >= 0 else "",
                "excluded": len(inforce.posts[pid].excluded) if pid in inforce.posts else 0,
            }
        )
    return rows


async def session_page(request: Request) -> Response:
    row, live, inforce = _session(request)
    current = live.current(inforce)
    q = request.query_params
    wanted = {k: q.get(k, "") for k in ("unit", "level", "status")}
    st = _state(request)
    order = st.store.order(row.id)
    every = ordered(_agenda(live, current, inforce), order)
    rows = [r for r in every if all(not v or r[k] == v for k, v in wanted.items())]
    return page(
        request,
        "session.html.j2",
        s=row,
        rows=rows,
        wanted=wanted,
        units=sorted({r["unit"] for r in every}),
        levels=sorted({r["level"] for r in every}),
        order=order,
        modes=ORDER_MODES,
        events=st.store.events(row.id),
        comments=st.store.comments(row.id),
        objective=current.points if current.ok else None,
        base_objective=live.base.points,
        outputs=st.store.output_names(row.id) if row.closed else [],
        changed=changed_inputs(row.inputs_sha256, live),
        dropped=request.query_params.get("dropped", "0"),
    )


async def set_order(request: Request) -> Response:
    """The order of the session's posts: a mode, or one post moved up or down (manual)."""
    _who(request, "secretariat")
    row, live, inforce = _session(request)
    form = await _form(request)
    st = _state(request)
    order = st.store.order(row.id)
    pid, step = _text(form, "move"), {"up": -1, "down": 1}.get(_text(form, "step"), 0)
    if pid:
        rows = _agenda(live, live.current(inforce), inforce)
        order = moved(rows, order, pid, step)
    else:
        mode = _text(form, "mode")
        if mode not in ORDER_MODES:
            raise PageError(400, "urutan '{mode}' tidak dikenal; pilihan: {allowed}",
                            mode=mode[:20], allowed=", ".join(ORDER_MODES))  # fmt: skip
        order = PostOrder(mode, order.manual)
    try:
        st.store.set_order(row.id, order, _user(request))
    except StoreError as exc:
        raise store_refusal(exc) from None
    anchor = f"#row-{pid}" if pid else "#posts"
    return RedirectResponse(f"/sessions/{row.id}{anchor}", status_code=303)


async def comment(request: Request) -> Response:
    """A member's (or the secretariat's) comment on a post, or on one person for it."""
    who = _who(request, "member")
    row, live, _ = _session(request)
    form = await _form(request)
    pid = request.path_params["pid"]
    _post(live, pid)
    nip = _text(form, "nip") or None
    if nip is not None and nip not in live.person_index:
        raise PageError(400, "NIP itu tidak ada dalam tabel pegawai putaran ini")
    text = _text(form, "text")
    if not text:
        raise PageError(400, "tanggapan tidak berisi")
    try:
        _state(request).store.comment(row.id, user=who.name, jabatan_id=pid, nip=nip, text=text)
    except StoreError as exc:
        raise store_refusal(exc) from None
    return RedirectResponse(f"/sessions/{row.id}/posts/{pid}#comments", status_code=303)


async def round_page(request: Request) -> Response:
    """The session's plan as a whole: figures, chains, talent box, bench strength, and
    the posts where it differs from the engine's proposal."""
    from engine.report.render import LABELS, pictures
    from engine.succession.analysis import analyse

    row, live, inforce = _session(request)
    lang = _lang(request)
    plan = live.final_plan(inforce)
    current = live.current(inforce)
    differs = []
    for j in live.open_posts(current):
        before, after = int(live.base.holder[j]), int(current.holder[j])
        if before != after:
            differs.append(
                (live.post_name(j), live.name(before) if before >= 0 else "-",
                 live.name(after) if after >= 0 else "-")
            )  # fmt: skip
    base_summary = live.record.summary
    kpis = [
        (LABELS[lang]["kpi"].get(k, k), getattr(base_summary, k), v)
        for k, v in plan.record.summary.kpis()
    ]
    return page(
        request,
        "round.html.j2",
        s=row,
        kpis=kpis,
        objective=(live.record.objective.value, plan.record.objective.value),
        pictures=pictures(analyse(plan.context, plan), lang),
        differs=differs,
    )


def known_scenarios(st: AppState, row: SessionRow) -> dict[str, str]:
    """The scenarios a session can be compared with: every scenario file in the folder of
    the session's scenario and of the app's default one, by path (shown relative)."""
    folders = {Path(row.scenario).resolve().parent}
    if st.default_scenario is not None:
        folders.add(Path(st.default_scenario).resolve().parent)
    found: dict[str, str] = {}
    for folder in sorted(folders):
        for path in sorted(folder.glob("*.yaml")):
            if path.is_file() and "kind: scenario" in path.read_text(errors="replace")[:4000]:
                found[str(path)] = f"{folder.name}/{path.name}"
    return found


def _labelled(record: Any, label: str) -> Any:
    """``record`` with ``label`` as its scenario's name: the name a comparison shows."""
    m = record.manifest
    scenario = m.scenario.model_copy(update={"name": label})
    return record.model_copy(update={"manifest": m.model_copy(update={"scenario": scenario})})


async def compare_page(request: Request) -> Response:
    """The session's current plan side by side with the engine's proposal or another scenario:
    the inputs that differ, then the effects (engine.plan.compare), then post by post."""
    from engine.plan.compare import compare_plans
    from engine.report.render import LABELS

    row, live, inforce = _session(request)
    st, lang = _state(request), _lang(request)
    known = known_scenarios(st, row)
    chosen = request.query_params.get("with", "")
    if chosen and chosen not in known:
        raise PageError(400, "skenario pembanding '{name}' tidak dikenal; pilih salah satu dari "
                        "daftar", name=Path(chosen).name[:80])  # fmt: skip
    _ = translator(lang)
    session_label = f"{_('Rencana sesi')} {row.id}"
    if chosen:
        other_record = st.round_for(chosen).record
        other_label = f"{other_record.manifest.scenario.name} ({known[chosen]})"
    else:
        other_record, other_label = live.record, _("Usulan mesin")
    plans = [
        _labelled(live.final_plan(inforce).record, session_label),
        _labelled(other_record, other_label),
    ]
    comparison = compare_plans(plans, LABELS[lang], lang)
    return page(
        request,
        "compare.html.j2",
        s=row,
        known=known,
        chosen=chosen,
        c=comparison,
        kpi_labels=LABELS[lang]["kpi"],
    )


async def post_page(request: Request) -> Response:
    row, live, inforce = _session(request)
    pid = request.path_params["pid"]
    j = _post(live, pid)
    current = live.current(inforce)
    decided = inforce.posts.get(pid)
    eligible = [
        (str(live.ctx.people.nip[live.arc_person[k]]), live.name(int(live.arc_person[k])))
        for k in live.candidates(j)
    ]
    eligible.sort(key=lambda t: t[1])
    st = _state(request)
    agenda = ordered(_agenda(live, current, inforce), st.store.order(row.id))
    before, after = neighbours(agenda, pid)
    return page(
        request,
        "post.html.j2",
        s=row,
        pid=pid,
        before=before,
        after=after,
        comments=st.store.comments(row.id, pid),
        may_comment=_who(request).may("member") and not row.closed,
        post=_post_facts(live, j),
        names=live.names(j, inforce),
        holder=live.name(int(current.holder[j])) if current.ok and current.holder[j] >= 0 else "",
        holder_nip=str(live.ctx.people.nip[current.holder[j]])
        if current.ok and current.holder[j] >= 0
        else "",
        status=inforce.status(pid),
        excluded=list(decided.excluded.values()) if decided else [],
        eligible=eligible,
        history=[e for e in st.store.events(row.id) if e.jabatan_id == pid],
        error=request.query_params.get("error", ""),
    )


def _post_facts(live: LiveRound, j: int) -> dict[str, str]:
    posts = live.ctx.posts
    holder = int(posts.holder[j])
    return {
        "nama": live.post_name(j),
        "unit": str(posts.unit[j]),
        "level": str(posts.jenis_jabatan[j]),
        "bidang": str(posts.bidang[j]),
        "holder_now": live.name(holder) if holder >= 0 else "",
    }


def _decision(
    request: Request, live: LiveRound, inforce: InForce, params: Any
) -> tuple[str, str, str | None, str, Any]:
    """The decision a form states, checked: (pid, action, nip, reason, key)."""
    pid = request.path_params["pid"]
    j = _post(live, pid)
    action = str(params.get("action", ""))
    nip = str(params.get("nip", "") or "").strip() or None
    reason = str(params.get("reason", "") or "").strip()[:MAX_TEXT]
    if action == "accept":
        current = live.current(inforce)
        held = int(current.holder[j]) if current.ok else -1
        nip = str(live.ctx.people.nip[held]) if held >= 0 else None
        reason = reason or "sesuai usulan"
    if action in NEEDS_REASON and not reason:
        raise PageError(400, "alasan wajib diisi untuk keputusan '{action}'",
                        action=Msg(ACTION_NAMES[action]))  # fmt: skip
    if nip is not None and nip not in live.person_index:
        raise PageError(400, "NIP itu tidak ada dalam tabel pegawai putaran ini")
    try:
        key, nip = proposed_key(inforce, action, pid, nip)
    except DecisionError as exc:
        raise PageError(400, exc.msg) from None
    return pid, action, nip, reason, key


async def preview_page(request: Request) -> Response:
    _who(request, "secretariat")
    row, live, inforce = _session(request)
    if row.closed:
        raise PageError(409, "sesi {sid} sudah ditutup; buka kembali sebagai sesi baru", sid=row.id)
    pid, action, nip, reason, key = _decision(request, live, inforce, request.query_params)
    pv = live.preview(live.current(inforce), key, (nip, pid) if nip else None)
    version = request.query_params.get("version", str(row.version))
    return page(
        request,
        "preview.html.j2",
        s=row,
        pid=pid,
        post=_post_facts(live, live.post_index[pid]),
        action=action,
        nip=nip or "",
        person=live.name(live.person_index[nip]) if nip else "",
        reason=reason,
        pv=pv,
        version=version,
    )


async def decide(request: Request) -> Response:
    _who(request, "secretariat")
    row, live, inforce = _session(request)
    form = await _form(request)
    pid, action, nip, reason, key = _decision(request, live, inforce, form)
    version = _int(str(form.get("version", "")), "version")
    pv = live.preview(live.current(inforce), key, (nip, pid) if nip else None)
    if not pv.ok:
        raise PageError(409, "keputusan ini tidak dapat berlaku: {why}", why=pv.message)
    try:
        _state(request).store.record(
            row.id,
            version,
            user=_user(request),
            kind=action,
            jabatan_id=pid,
            nip=nip,
            reason=reason,
            price=pv.price,
            displaced=[
                {"nip": m.nip, "nama": m.nama, "before": m.before, "after": m.after}
                for m in pv.moves
                if not m.decided
            ],
        )
    except StoreError as exc:
        raise store_refusal(exc) from None
    log.info("session %s: decision recorded (version %s)", row.id, version + 1)
    return RedirectResponse(f"/sessions/{row.id}/posts/{pid}", status_code=303)


async def person_page(request: Request) -> Response:
    row, live, _ = _session(request)
    nip = request.path_params["nip"]
    if nip not in live.person_index:
        raise PageError(404, "NIP itu tidak ada dalam tabel pegawai putaran ini")
    pid = request.query_params.get("post", "")
    j = _post(live, pid)
    i = live.person_index[nip]
    return page(
        request,
        "person.html.j2",
        s=row,
        pid=pid,
        post=_post_facts(live, j),
        nama=live.name(i),
        nip=nip,
        ex=live.explain(i, j),
    )


async def close_page(request: Request) -> Response:
    _who(request, "secretariat")
    row, _, inforce = _session(request)
    return page(request, "close.html.j2", s=row, decided=len(inforce.posts), error="")


async def close_session(request: Request) -> Response:
    _who(request, "secretariat")
    row, live, inforce = _session(request)
    form = await _form(request)
    version = _int(str(form.get("version", "")), "version")
    members = [m.strip() for m in _text(form, "members").splitlines() if m.strip()]
    if not members:
        raise PageError(400, "sebutkan anggota yang hadir, satu per baris")
    closing = {
        "members": members,
        "place": _text(form, "place") or "-",
        "number": _text(form, "number") or "-",
        "user": _user(request),
    }
    st = _state(request)
    events, comments = st.store.events(row.id), st.store.comments(row.id)
    outputs = documents.closing_documents(row, events, inforce, live, closing, comments)
    try:
        _state(request).store.close(row.id, version, _user(request), closing, outputs)
    except StoreError as exc:
        raise store_refusal(exc) from None
    return RedirectResponse(f"/sessions/{row.id}", status_code=303)


async def download(request: Request) -> Response:
    _who(request)
    st = _state(request)
    sid = _int(request.path_params["sid"], "session")
    name = request.path_params["name"]
    content = st.store.output(sid, name)
    if content is None:
        raise PageError(404, "sesi {sid} tidak memiliki berkas '{name}'", sid=sid, name=name[:60])
    media = documents.MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")
    disposition = "inline" if name.endswith(".html") else f'attachment; filename="{name}"'
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})


async def reopen(request: Request) -> Response:
    """A closed session re-opened as a new one on the inputs as they are now.

    The decisions in force are carried over, each only if it still applies:
    its person and post are in the new round and the plan can hold it
    together with the ones carried before it.
    """
    _who(request, "secretariat")
    row, _, inforce = _session(request)
    if not row.closed:
        raise PageError(409, "sesi masih terbuka; tutup dahulu sebelum membukanya kembali")
    st = _state(request)
    live = st.round_for(row.scenario)
    user = _user(request)
    sid = st.store.open_session(row.scenario, live.record.manifest.scenario.name,
                                live.inputs, user, row.id)  # fmt: skip
    st.store.set_order(sid, st.store.order(row.id), user)  # the committee's order goes on
    carried: list[Event] = []
    dropped = 0
    for pid, d in sorted(inforce.posts.items()):
        for e in [*d.excluded.values(), *([d.resolution] if d.resolution else [])]:
            if not _still_applies(live, fold(carried), e):
                dropped += 1
                continue
            carried.append(
                st.store.record(
                    sid, len(carried), user=user, kind=e.kind, jabatan_id=pid, nip=e.nip,
                    reason=f"{e.reason} (sesi {row.id})", price=e.price, displaced=e.displaced,
                )
            )  # fmt: skip
    return RedirectResponse(f"/sessions/{sid}?dropped={dropped}", status_code=303)


def _still_applies(live: LiveRound, inforce: InForce, e: Event) -> bool:
    if e.jabatan_id not in live.post_index or (e.nip and e.nip not in live.person_index):
        return False
    try:
        key, _ = proposed_key(inforce, e.kind, e.jabatan_id, e.nip)
    except DecisionError:
        return False
    return live.solve(key).ok


async def on_page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return page(
        request, "error.html.j2", http_status=exc.status, message=exc.message.render(_lang(request))
    )


async def on_login_needed(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/login", status_code=303)


async def on_input_error(request: Request, exc: Exception) -> Response:
    lang = _lang(request)
    if isinstance(exc, InputError):
        detail = exc.render(lang=lang)
    else:
        detail = str(exc) if isinstance(exc, TalentaError) else "error"
    message = msg("masukan tidak dapat dipakai: {detail}", detail=detail)
    return page(request, "error.html.j2", http_status=400, message=message.render(lang))


async def on_error(request: Request, exc: Exception) -> Response:
    # The type only: a message could quote personal data.
    log.error("internal error on %s: %s", request.url.path.split("/")[1], type(exc).__name__)
    message = msg("kesalahan internal; tidak ada yang dicatat").render(_lang(request))
    return page(request, "error.html.j2", http_status=500, message=message)


def create_app(
    store: Store,
    default_scenario: Path | None = None,
    *,
    login: bool = False,
    pseudonymise: bool = False,
) -> Starlette:
    """The ASGI app over ``store``; ``default_scenario`` fills the open-session form.

    With ``login``, every page needs an account (engine.app.access) and
    every form its login's CSRF token. With ``pseudonymise``, names and
    NIPs are pseudonyms everywhere the app shows or writes them.
    """
    s = "/sessions/{sid}"
    routes = [
        Route("/", index),
        Route("/user", set_user, methods=["POST"]),
        Route("/lang/{lang}", set_lang),
        Route("/login", login_page),
        Route("/login", login_post, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/sessions", open_session, methods=["POST"]),
        Route(s, session_page),
        Route(s + "/round", round_page),
        Route(s + "/compare", compare_page),
        Route(s + "/order", set_order, methods=["POST"]),
        Route(s + "/posts/{pid}/comment", comment, methods=["POST"]),
        Route(s + "/posts/{pid}", post_page),
        Route(s + "/posts/{pid}/preview", preview_page),
        Route(s + "/posts/{pid}/decide", decide, methods=["POST"]),
        Route(s + "/people/{nip}", person_page),
        Route(s + "/close", close_page),
        Route(s + "/close", close_session, methods=["POST"]),
        Route(s + "/files/{name}", download),
        Route(s + "/reopen", reopen, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            PageError: on_page_error,
            LoginNeeded: on_login_needed,
            TalentaError: on_input_error,
            Exception: on_error,
        },
    )
    app.state.talenta = AppState(store, default_scenario, login=login, pseudonymise=pseudonymise)
    return app


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def open_store(db: str) -> Store:
    """The store at ``--db`` (a file or a URL), or a message saying why it cannot be opened."""
    import sqlalchemy.exc

    from engine.app.store import database_url

    url = database_url(db)
    try:
        return Store(url)
    except (sqlalchemy.exc.SQLAlchemyError, ModuleNotFoundError) as exc:
        # The database's own words, never the URL: it may hold a password.
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
        shown = db if "://" not in db else db.split("://", 1)[0] + "://..."
        raise StoreError(message("store_cannot_open", db=shown, detail=detail)) from None


def serve(
    scenario: Path | None,
    host: str,
    port: int,
    db: str,
    echo: Any = print,
    tls: tuple[str, str] | None = None,
    pseudonymise: bool = False,
    lang: str = "id",
) -> None:  # pragma: no cover - runs the server until interrupted
    """Open the store, load the default scenario's round, and run the app until stopped.

    Bound to any address but localhost, login is on and at least one
    account must exist; the login cookie is Secure, so browsers keep it
    only over HTTPS (``tls``: certificate and key files, or a TLS proxy).
    """
    import uvicorn

    store = open_store(db)
    login = host not in LOCAL_HOSTS
    if login and not has_accounts(store):
        raise StoreError(message("store_needs_accounts", host=host, db=db))
    app = create_app(store, scenario, login=login, pseudonymise=pseudonymise)
    loaded = None
    if scenario is not None:
        live = app.state.talenta.round_for(str(scenario))  # load before the first request
        loaded = (scenario, live.load_seconds)
    for line in start_lines(f"{'https' if tls else 'http'}://{host}:{port}/", login, loaded, lang):
        echo(line)
    cert, key = tls if tls else (None, None)
    uvicorn.run(
        app, host=host, port=port, access_log=False, log_level="warning",
        ssl_certfile=cert, ssl_keyfile=key,
    )  # fmt: skip


def start_lines(url: str, login: bool, loaded: tuple[Path, float] | None, lang: str) -> list[str]:
    """What ``talenta serve`` prints when it starts, in ``lang``: where the session is,
    the scenario loaded (and how long it took), and whether login is required."""
    c = CONSOLE[lang]
    line = c["serve_start"].format(url=url)
    if loaded is not None:
        line += c["serve_loaded"].format(scenario=loaded[0], s=loaded[1])
    return [line, *([c["serve_login"]] if login else [])]


def account_spec(spec: str) -> tuple[str, str]:
    """``NAME:ROLE`` of ``--add-account`` as (name, role), checked."""
    from engine.app.access import ROLES

    name, _, role = spec.rpartition(":")
    if not name or role not in ROLES:
        raise StoreError(message("account_spec", spec=spec, roles=", ".join(ROLES)))
    return name, role


def add_account_from_cli(db: str, spec: str, password: str, lang: str | None = None) -> str:
    """``NAME:ROLE`` added to the store at ``db`` with ``password``; returns a line to print,
    in ``lang`` (the run's language when not given)."""
    from engine.app.access import add_account

    name, role = account_spec(spec)
    store = open_store(db)
    try:
        add_account(store, name, role, password)
    finally:
        store.dispose()
    return CONSOLE[lang or messages_language()]["account_saved"].format(name=name, role=role, db=db)
