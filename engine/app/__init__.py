"""The committee's session: a local web app where a placement round is deliberated and minuted.

- :mod:`engine.app.store` keeps sessions, decision events and closing
  documents (SQLite by default, PostgreSQL given a URL);
- :mod:`engine.app.live` keeps a scenario's round loaded in the server
  process and re-solves it with the committee's decisions as pins and bans;
- :mod:`engine.app.documents` writes the berita acara and the
  recommendation to the PPK (DOCX and print-ready HTML);
- :mod:`engine.app.access` keeps accounts, roles and logins (used when the
  app is bound to an address other than localhost);
- :mod:`engine.app.i18n` gives the pages in English (Indonesian by default),
  from the one catalogue :mod:`engine.i18n`;
- :mod:`engine.app.web` holds the routes and :func:`engine.app.web.serve`.
"""
