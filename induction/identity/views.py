"""The identity's files: the logo and the brand colour's style sheet, served by the app itself."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from induction.identity.contrast import brand_colour_problem, parse_colour
from induction.identity.current import logo

bp = Blueprint("identity", __name__, url_prefix="/identity")

A_YEAR = 365 * 24 * 3600
# A logo opened on its own is a document: it may draw, never run or fetch anything.
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@bp.get("/brand.css")
def brand_css():
    """The brand colour as a style sheet; the colour is in the address, so it never goes stale."""
    colour = parse_colour(request.args.get("colour", ""))
    if colour is None or brand_colour_problem(colour):
        abort(404)
    response = Response(f":root {{ --brand: {colour}; }}\n", mimetype="text/css")
    response.headers["Cache-Control"] = f"public, max-age={A_YEAR}, immutable"
    return response


@bp.get("/logo")
def logo_file():
    """The network's logo (404 when there is none); its address carries the identity's version."""
    found = logo()
    if found is None:
        abort(404)
    data, content_type, version = found
    response = Response(data, mimetype=content_type)
    response.headers["Content-Security-Policy"] = LOGO_POLICY
    response.headers["Content-Disposition"] = "inline"
    fresh = request.args.get("v") == str(version)
    response.headers["Cache-Control"] = f"public, max-age={A_YEAR}" if fresh else "no-cache"
    response.set_etag(f"logo-{version}")
    return response.make_conditional(request)
