"""The identity page: an admin changes the network's names, logo, colour, sender, support
contact and footer links, and every page, email and certificate follows."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from induction.accounts import invitations
from induction.accounts.audit import AuditEvent
from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.database import utcnow
from induction.extensions import db
from induction.identity import current as identity_current
from induction.identity.models import SiteIdentity
from induction.mail import deliver_pending, outbox_files, read_outbox_file
from induction.progress import certificates
from induction.progress.certificate_pdf import DEFAULT_BOLD_FONT, DEFAULT_FONT

URL = "/admin/identity"
NPF = {
    "name": "Northern Parish Forum",
    "short_name": "NPF",
    "site_name": "NPF learning",
    "brand_colour": "#005a30",
    "sender_name": "NPF learning team",
    "sender_address": "learning@npf.example.org",
    "support_email": "help@npf.example.org",
    "footer_links": "Our website https://npf.example.org\nPrivacy https://npf.example.org/privacy",
    "logo_alt": "",
    "report_course_id": "basics",
}
LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10" onload="alert(1)">'
    b'<script>alert(2)</script><rect width="40" height="10" fill="#005a30"/>'
    b'<image href="https://tracker.example/pixel.png" width="1" height="1"/></svg>'
)
needs_fonts = pytest.mark.skipif(
    not (DEFAULT_FONT.is_file() and DEFAULT_BOLD_FONT.is_file()),
    reason="needs the DejaVu fonts (Debian package fonts-dejavu-core)",
)


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def title(response) -> str:
    found = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S)
    assert found is not None
    return unescape(found.group(1))


@pytest.fixture
def admin(login_as):
    return login_as(role="admin", name="Ada Admin")


def save(client, **changes):
    data = {**NPF, **changes}
    return client.post(URL, data=data, content_type="multipart/form-data")


def stored(app):
    with app.app_context():
        row = db.session.scalar(select(SiteIdentity))
        if row is not None:
            db.session.expunge(row)
        return row


def test_the_page_has_breadcrumbs_back_to_admin_home(admin):
    page = admin.get(URL).get_data(as_text=True)
    trail = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', page, re.S)
    assert trail is not None
    crumbs = trail.group(1)
    assert '<li><a href="/admin/">Admin</a></li>' in crumbs
    assert '<li aria-current="page">The network&#39;s identity</li>' in crumbs


def test_the_page_starts_from_the_configured_defaults_the_ccins(admin, app):
    page = text(admin.get(URL))
    assert title(admin.get(URL)) == "The network's identity – CCIN induction"
    assert 'value="Co-operative Councils\' Innovation Network"' in page
    assert 'value="CCIN"' in page and 'value="#1d4f91"' in page
    assert "About the CCIN https://councils.coop/about-us" in page
    assert "its contrast with white text is 8.1:1" in page
    assert stored(app) is None  # nothing is written by looking


def test_only_admins_may_open_it(login_as, client):
    assert login_as(role="manager").get(URL).status_code == 403
    assert login_as(role="learner").post(URL, data=NPF).status_code == 403
    assert client.get(URL).status_code == 302  # signed out: to the sign-in page


def test_a_saved_identity_shows_in_the_header_titles_and_footer_of_every_page(admin, app, client):
    response = save(admin)
    assert response.status_code == 302
    page = text(admin.get(URL))
    assert "Saved. Every page, email and certificate now uses the new details." in page
    for url, words in [
        ("/", "Welcome"),
        ("/accessibility", "Accessibility statement"),
        ("/login", "Sign in"),
        ("/no-such-page", "Page not found"),
    ]:
        response = client.get(url)
        assert title(response) == f"{words} – NPF learning"
        html = text(response)
        header = html.split("</header>", 1)[0]
        assert ">NPF learning</a>" in header and "Northern Parish Forum" in header
        footer = html.split("<footer", 1)[1]
        assert '<a href="https://npf.example.org">Our website</a>' in footer
        assert '<a href="https://npf.example.org/privacy">Privacy</a>' in footer
        assert "Email the NPF at" in footer and "mailto:help@npf.example.org" in footer
        assert "/identity/brand.css?colour=005a30" in header
    front = text(client.get("/"))
    assert "Welcome to the NPF learning" in front
    assert "affiliate members of the NPF" in front


def test_the_brand_colour_style_sheet_serves_only_colours_that_pass(client):
    sheet = client.get("/identity/brand.css?colour=005a30")
    assert sheet.status_code == 200 and sheet.mimetype == "text/css"
    assert sheet.get_data(as_text=True) == ":root { --brand: #005a30; }\n"
    assert client.get("/identity/brand.css?colour=f47738").status_code == 404
    assert client.get("/identity/brand.css?colour=red;}body{x").status_code == 404


def test_a_colour_that_fails_contrast_is_refused_with_its_ratio_and_nothing_is_saved(admin, app):
    response = save(admin, brand_colour="#f47738", name="Changed name")
    assert response.status_code == 400
    page = text(response)
    assert title(response).startswith("Error: ")
    assert "White text on #f47738 has a contrast of 2.7:1, needs 4.5:1 (WCAG AA)" in page
    assert 'value="Changed name"' in page  # what was typed is kept to fix
    assert stored(app) is None


def test_bad_input_gets_a_message_beside_its_field(admin, app):
    response = save(
        admin,
        name="",
        brand_colour="blue",
        sender_address="not an address",
        support_email="nobody",
        footer_links="Home https://a.example\nJust words",
    )
    assert response.status_code == 400
    page = text(response)
    for message in (
        "Enter the network's full name",
        "Enter the colour as 6 hexadecimal digits after #, for example #1d4f91",
        "Line 2: end the line with a web address starting https://",
    ):
        assert message in page
    assert page.count('class="error-message"') == 5
    assert stored(app) is None


def test_production_refuses_a_sender_at_localhost(admin, app, monkeypatch):
    assert save(admin, sender_address="induction@localhost").status_code == 302  # trying it out
    monkeypatch.setitem(app.config, "ENV", "production")
    for address in ("induction@localhost", "induction@box.local"):
        response = save(admin, sender_address=address)
        assert response.status_code == 400
        assert "email from @localhost looks like phishing" in text(response)
    assert save(admin).status_code == 302


def test_saving_writes_an_audit_entry_naming_what_changed(admin, app):
    save(admin)
    save(admin, short_name="NPF2")
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "identity.changed")
            .order_by(AuditEvent.id)
        ).all()
        assert [e.details["changed"] for e in events][1] == ["short_name"]
        assert (
            "name" in events[0].details["changed"]
            and "footer_links" in events[0].details["changed"]
        )
        actor = db.session.get(User, events[0].actor_id)
        assert actor.name == "Ada Admin"
    assert stored(app).version == 2


def test_a_logo_is_made_safe_stored_and_served_by_the_app(admin, app, client):
    refused = save(admin, logo=(io.BytesIO(LOGO), "logo.svg"))
    assert refused.status_code == 400
    assert "Describe the logo in words" in text(refused)
    assert stored(app) is None

    assert save(admin, logo=(io.BytesIO(LOGO), "logo.svg"), logo_alt="NPF logo").status_code == 302
    row = stored(app)
    header = text(client.get("/")).split("</header>", 1)[0]
    assert (
        f'<img class="site-header__logo" src="/identity/logo?v={row.version}" alt="NPF logo">'
        in header
    )
    served = client.get(f"/identity/logo?v={row.version}")
    assert served.status_code == 200
    assert served.mimetype == "image/svg+xml"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert "max-age" in served.headers["Cache-Control"]
    svg = served.get_data(as_text=True)
    assert "<rect" in svg
    for bad in ("onload", "script", "tracker.example", "<image"):
        assert bad not in svg
    assert client.get("/identity/logo?v=0").headers["Cache-Control"] == "no-cache"


def test_a_bad_logo_is_refused_and_the_old_one_kept(admin, app):
    save(admin, logo=(io.BytesIO(LOGO), "logo.svg"), logo_alt="NPF logo")
    before = stored(app).version
    response = save(admin, logo=(io.BytesIO(b"GIF89a not a logo"), "logo.gif"), logo_alt="NPF")
    assert response.status_code == 400
    assert "The logo must be an SVG or a PNG file that opens" in text(response)
    too_big = save(admin, logo=(io.BytesIO(b"<svg" + b" " * (300 * 1024)), "big.svg"), logo_alt="x")
    assert "The logo must be 200 KB or smaller" in text(too_big)
    # A file chosen while another field is wrong must be chosen again; the page says so.
    other = save(admin, name="", logo=(io.BytesIO(LOGO), "logo.svg"), logo_alt="NPF logo")
    assert "Choose the logo file again" in text(other)
    assert stored(app).version == before
    assert save(admin, remove_logo="y", logo_alt="NPF logo").status_code == 302
    assert stored(app).logo_type is None
    assert admin.get("/identity/logo").status_code == 404


def test_other_workers_see_a_saved_identity_once_their_copy_is_older_than_its_lifetime(
    admin, app, app_factory, monkeypatch
):
    clock = [1000.0]
    monkeypatch.setattr(identity_current.time, "monotonic", lambda: clock[0])
    other = app_factory(IDENTITY_CACHE_SECONDS=5).test_client()  # another worker, same database
    assert title(other.get("/accessibility")).endswith("– CCIN induction")
    save(admin)  # the worker that saves sees the change at once
    assert title(admin.get("/accessibility")).endswith("– NPF learning")
    assert title(other.get("/accessibility")).endswith("– CCIN induction")  # its copy is fresh
    clock[0] += 5
    assert title(other.get("/accessibility")).endswith("– NPF learning")


def test_reading_the_identity_costs_no_query_while_the_copy_is_fresh(app, count_queries):
    with app.test_request_context():
        identity_current.current()
        with count_queries() as counted:
            for _ in range(20):
                identity_current.current()
        assert counted.count == 0


def test_email_carries_the_identity(admin, app, make_org):
    save(admin)
    org = make_org("Oldham Council")
    with app.app_context():
        invitations.issue(
            None,
            db.session.merge(org),
            [invitations.Invitee("nia@example.org", "Nia New", "learner", "officer")],
        )
        db.session.commit()
        assert deliver_pending().failed == 0
        [message] = [read_outbox_file(f.name) for f in outbox_files() if "nia@example.org" in f.to]
    assert message["From"] == "NPF learning team <learning@npf.example.org>"
    assert message["Subject"] == "Your invitation to the NPF learning from Oldham Council"
    html = message.get_body(("html",)).get_content()
    plain = message.get_body(("plain",)).get_content()
    assert "NPF learning" in html and "Northern Parish Forum" in html
    assert "border-bottom:4px solid #005a30" in html
    assert "help@npf.example.org" in html
    assert "CCIN" not in html and "CCIN" not in plain


@needs_fonts
def test_the_certificate_names_the_network_and_draws_its_logo_in_its_colour(admin, app, make_user):
    save(admin, logo=(io.BytesIO(LOGO), "logo.svg"), logo_alt="NPF logo")
    learner = make_user(name="Siân Jones")
    with app.test_request_context():
        course = get_catalogue().course("basics")
        person = db.session.get(User, learner.id)
        certificate = certificates.issue_certificate(person, course, completed_at=utcnow())
        db.session.commit()
        pdf = certificates.certificate_pdf(certificate, "https://learn.example.org/verify/x")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert "Northern Parish Forum" in page.extract_text()
    assert "Co-operative Councils" not in page.extract_text()
    drawing = page.get_contents().get_data()
    # #005a30 as PDF colours: the frame's stroke, and the logo's rectangle filled.
    assert b"0 0.3529 0.1882 RG" in drawing
    assert re.search(rb"0 0\.3529 0\.1882 rg 0 0 m 0 0 40 10 re f", drawing)
