"""Who is asking: session and token loading, default-deny, CSRF, headers, request size."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar, cast

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as BaseResponse
from wtforms import ValidationError

from network.auth.models import User
from network.auth.sessions import resume_session
from network.auth.signin import confirm_identity
from network.auth.tokens import check_token
from network.core import clock
from network.core.errors import AuthenticationFailed, DomainError, MalformedInput
from network.core.i18n import N_
from network.extensions import csrf, db, login_manager, talisman
from network.wiring import signin_throttle

# Endpoints anyone may reach; everything else needs a signed-in user.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "vendor",
        "web_auth.sign_in",
        "web_auth.second_factor",
        "web_auth.set_up_second_factor",
        "web_auth.enrol",
        "web_auth.choose_language",
        "web_health.health",
        "web_health.ready",
        # Prometheus: the view itself checks the bearer token (network/web/health.py).
        "web_health.metrics",
        # A calendar program fetches it without a cookie; the secret in the URL is the credential.
        "web_notifications.calendar_feed",
        "api-docs.openapi_json",
        "api-docs.openapi_redoc",
        "asyncapi",
    }
)

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def client_address() -> str:
    return request.remote_addr or "unknown"


def confirm_identity_again(password: str, code: str | None) -> None:
    """The signed-in user gives their password and second factor again, as at sign-in.

    A failure is committed (its audit record stays) before it is raised to the edge.
    """
    config = current_app.config
    try:
        confirm_identity(
            current_user,
            password,
            code,
            now=clock.now(),
            client_address=client_address(),
            throttle=signin_throttle(),
            second_factor_required=config["TOTP_REQUIRED"],
            demo_password_only=config["DEMO_PASSWORD_ONLY"],
        )
    except DomainError:
        db.session.commit()
        raise


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def _load_session_user(user_id: str) -> User | None:
    """Resolve the cookie's server-side session; a bearer header takes precedence over it."""
    raw = session.get("sid")
    if raw is None or bearer_token() is not None:
        return None
    live = resume_session(
        raw, now=clock.now(), idle_minutes=current_app.config["SESSION_IDLE_MINUTES"]
    )
    if live is None or str(live.user_id) != user_id:
        db.session.commit()  # keep the record that the session idled out
        session.clear()
        return None
    if db.session.dirty:
        db.session.commit()
    g.user_session_id = live.id
    return live.user


def _load_token_user(_request: object) -> User | None:
    raw = bearer_token()
    if raw is None or not is_api_request():
        return None
    try:
        use = check_token(raw, now=clock.now(), client_address=client_address())
    except AuthenticationFailed as error:
        g.auth_error = error
        return None
    if use.recorded:
        db.session.commit()  # the record of use stands whatever the request does next
    g.via_token = True
    return use.user


def _enforce_default_deny() -> BaseResponse | None:
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if current_user.is_authenticated:
        return None
    if is_api_request():
        error = g.get("auth_error") or AuthenticationFailed(
            N_("Sign-in required."), reason="authentication_required"
        )
        raise error
    return redirect(url_for("web_auth.sign_in", next=request.full_path))


# Endpoints that read their body as a stream (uploads): a browser sends their CSRF token in
# the X-CSRFToken header, since looking for it in the form would make Flask parse the whole
# upload first and spool it, in clear, to a temporary file.
STREAMING_ENDPOINTS = frozenset({"channels.ChannelAttachments", "assistance.RequestDocuments"})


def _protect_csrf() -> None:
    """Browsers prove intent with the CSRF token; bearer tokens are not ambient, so need none."""
    if bearer_token() is not None and is_api_request():
        return
    if request.endpoint in STREAMING_ENDPOINTS and request.method == "POST":
        try:
            validate_csrf(request.headers.get("X-CSRFToken"))
        except ValidationError as error:
            raise CSRFError(error.args[0]) from None
        return
    csrf.protect()


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_OPENING = frozenset(b"[{")


def nests_deeper_than(body: bytes, limit: int) -> bool:
    """Whether JSON nests arrays and objects beyond ``limit`` (brackets in strings do not count)."""
    depth = 0
    for byte in _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS):
        depth += 1 if byte in _OPENING else -1
        if depth > limit:
            return True
    return False


def _limit_json() -> None:
    """Bound a JSON body's size (chunked ones too) and its nesting before anything parses it."""
    if not request.is_json:
        return
    max_bytes = current_app.config["JSON_MAX_BYTES"]
    if (request.content_length or 0) > max_bytes:
        abort(413)
    request.max_content_length = max_bytes
    limit = current_app.config["JSON_MAX_DEPTH"]
    if nests_deeper_than(request.get_data(cache=True), limit):
        raise MalformedInput(N_("The JSON nests more than %(limit)s levels deep."), limit=limit)


def _no_store(response: Response) -> Response:
    if current_user.is_authenticated or is_api_request():
        response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


# Redoc renders with inline styles and a blob: worker; only its page gets that allowance.
DOCS_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "style-src": "'self' 'unsafe-inline'",
    "worker-src": "blob:",
    "font-src": "'self' data:",
}


def relax_policy_for_docs(app: Flask, endpoint: str) -> None:
    """Give the API documentation page the few extra allowances Redoc needs, and no other page."""
    view = app.view_functions[endpoint]

    def docs_page() -> object:  # a plain function: Talisman stores its options on it
        return view()

    app.view_functions[endpoint] = talisman(content_security_policy=DOCS_CONTENT_SECURITY_POLICY)(
        docs_page
    )


# A file sent for download runs nothing and loads nothing, even if a browser opens it in place.
DOWNLOAD_CONTENT_SECURITY_POLICY = {"default-src": "'none'", "sandbox": ""}

View = TypeVar("View", bound=Callable[..., object])


def sandboxed_download(view: View) -> View:
    """Give a download view its own policy: Talisman replaces one the view sets by hand."""
    return cast(View, talisman(content_security_policy=DOWNLOAD_CONTENT_SECURITY_POLICY)(view))


def trust_proxies(app: Flask) -> None:
    """Read the client's address from the X-Forwarded-* headers of TRUSTED_PROXIES proxies.

    Applied last, outside the Socket.IO middleware, so that sockets see the same address.
    """
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )


def init_security(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(_load_session_user)
    login_manager.request_loader(_load_token_user)
    login_manager.session_protection = None  # the server-side session table does this job
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="no-referrer",
        frame_options="DENY",
        x_content_type_options=True,
    )
    app.before_request(_limit_json)
    app.before_request(_protect_csrf)
    app.before_request(_enforce_default_deny)
    app.after_request(_no_store)
