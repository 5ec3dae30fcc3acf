"""The screening page's web server: Flask on werkzeug, for one local user.

- It listens on 127.0.0.1 only, on the port asked for (0: any free one).
- Every request must carry the random token printed with the address: in the
  address (``?token=``) or the cookie the page's first load sets; the page's
  own requests that write (POST) must carry it in the ``X-Reviewflow-Token``
  header, which another web site cannot make a browser send. A request whose
  ``Host`` is not this machine (a DNS-rebinding attack) is refused too.
- Every asset (script, style sheet) is served by the app; the page loads
  nothing from a network, and its Content-Security-Policy forbids it.
- Full texts are served from ``data/raw/fulltexts/`` only, sandboxed.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from importlib import resources
from typing import Any

from flask import Flask, Response, abort, jsonify, request, send_file
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from ..errors import ReviewError, ReviewErrors
from .session import FULL_TEXT_TYPES, ScreeningSession, SpreadsheetOpen, Stale

LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
TOKEN_HEADER = "X-Reviewflow-Token"
COOKIE = "reviewflow_token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def _asset(name: str) -> bytes:
    return resources.files("reviewflow.app").joinpath("static", name).read_bytes()


def _problem(error: ReviewError, status: int) -> tuple[Response, int]:
    parts = error.errors if isinstance(error, ReviewErrors) else [error]
    return jsonify({
        "error": error.describe(),
        "kind": type(error).__name__,
        "problems": [{"where": e.where, "message": e.message, "fix": e.fix or ""} for e in parts],
    }), status


def create_app(session: ScreeningSession, token: str) -> Flask:
    """The Flask application serving ``session``'s page, guarded by ``token``."""
    app = Flask("reviewflow.app", static_folder=None, template_folder=None)
    lock = threading.Lock()  # one decision at a time, whatever the server's threading

    @app.before_request
    def guard() -> Any:
        host = (request.host or "").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in LOCAL_HOSTS:
            return Response("refused: this page answers only to requests for 127.0.0.1 (Host header)\n", 403, mimetype="text/plain")
        given = request.headers.get(TOKEN_HEADER, "")
        if request.method == "GET":
            given = given or request.args.get("token", "") or request.cookies.get(COOKIE, "")
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            return Response("refused: the request lacks the page's token (open the address the command printed)\n", 403,
                            mimetype="text/plain")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def page() -> Response:
        html = _asset("page.html").decode("utf-8")
        response = Response(html, mimetype="text/html")
        response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
        return response

    @app.get("/static/<name>")
    def static(name: str) -> Response:
        types = {"screen.js": "text/javascript", "screen.css": "text/css"}
        if name not in types:
            abort(404)
        return Response(_asset(name), mimetype=types[name])

    def answer(extra: dict[str, Any] | None = None) -> Response:
        state = session.state()
        state["token"] = token
        return jsonify({**state, **(extra or {})})

    def guarded(action: Any) -> Any:
        with lock:
            try:
                result = action()
            except SpreadsheetOpen as error:
                return _problem(error, 423)
            except Stale as error:
                return _problem(error, 409)
            except ReviewError as error:
                try:
                    session.refresh()
                except ReviewError:
                    pass
                return _problem(error, 400)
            return result

    @app.get("/api/state")
    def state() -> Any:
        def act() -> Response:
            session.refresh()
            return answer()

        return guarded(act)

    @app.get("/api/work/<record_id>")
    def work(record_id: str) -> Any:
        return guarded(lambda: jsonify(session.work(session.cluster_of(record_id))))

    @app.get("/api/history")
    def history() -> Any:
        return guarded(lambda: jsonify(session.history(request.args.get("q", ""))))

    @app.post("/api/decide")
    def decide() -> Any:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify({"error": "the request is not JSON"}), 400

        def act() -> Response:
            session.decide(str(body.get("record_id", "")), str(body.get("decision", "")),
                           [str(r) for r in body.get("reasons") or []], str(body.get("note") or ""), body.get("expected"))
            return answer({"done": str(body.get("record_id", ""))})

        return guarded(act)

    @app.post("/api/undo")
    def undo() -> Any:
        return guarded(lambda: answer({"undone": session.undo()}))

    @app.get("/fulltext/<record_id>")
    def fulltext(record_id: str) -> Any:
        def act() -> Response:
            cluster_id = session.cluster_of(record_id)
            session.work(cluster_id)  # refuses a work not at this stage
            found = session.full_text(cluster_id)
            folder = (session.paths.raw / "fulltexts").resolve()
            if found is None or not found.resolve().is_relative_to(folder):
                abort(404)
            inline = found.suffix.lower() == ".pdf"
            response = send_file(found.resolve(), mimetype=FULL_TEXT_TYPES[found.suffix.lower()], as_attachment=not inline,
                                 download_name=found.name)
            response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
            return response

        return guarded(act)

    return app


class _QuietHandler(WSGIRequestHandler):
    """No line per request on the terminal (the page makes one per key press); errors are still printed."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


def serve(session: ScreeningSession, port: int = 0, token: str | None = None) -> tuple[BaseWSGIServer, str]:
    """A server on 127.0.0.1 for ``session`` (not yet started) and its address with the token."""
    token = token or secrets.token_urlsafe(24)
    server = make_server("127.0.0.1", port, create_app(session, token), threaded=False,
                         request_handler=_QuietHandler)
    return server, f"http://127.0.0.1:{server.server_port}/?token={token}"
