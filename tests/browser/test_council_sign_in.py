"""Signing in with the council's own account in Chromium, through a real OpenID Connect provider.

The provider is the `oidc-provider` package for Node.js on 127.0.0.1 (tests/oidc_server.py).
This module runs its own server on its own database: once an organisation has a provider
the sign-in page asks for the email address first, which the shared site must not change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from induction import create_app
from induction.accounts import identity_providers
from induction.accounts.models import Organisation, User
from induction.accounts.people import create_user
from induction.extensions import db
from induction.mail import QueuedEmail
from tests.browser.axe import assert_no_violations
from tests.browser.harness import DESKTOP, artifacts_dir
from tests.browser.keyboard import activate, type_into
from tests.browser.server import Database, Server, app_config, copy_courses, environment, migrate
from tests.browser.test_layout import assert_reflows
from tests.factories import TEST_PASSWORD
from tests.oidc_server import CLIENT_ID, CLIENT_SECRET, RealProvider
from tests.processes import free_port

pytestmark = pytest.mark.browser

DOMAIN = "brent.gov.uk"
ADMIN = f"lead.admin@{DOMAIN}"
TOTP_SECRET = pyotp.random_base32()
LINK_PERSON = f"affi.member@{DOMAIN}"


@dataclass
class CouncilSite:
    url: str
    app: Flask
    provider: RealProvider
    browser: Browser

    def page(self, width: int = DESKTOP["width"]) -> Page:
        context = self.browser.new_context(
            base_url=self.url, viewport={"width": width, "height": 900}, locale="en-GB"
        )
        context.set_default_timeout(15_000)
        return context.new_page()

    def person(self, email: str) -> User | None:
        with self.app.app_context():
            person = db.session.scalar(select(User).where(User.email == email))
            if person is not None:
                organisation = person.organisation.name if person.organisation else None
                db.session.expunge(person)
                person.organisation_name = organisation
            db.session.remove()
            return person

    def has_mail(self, email: str) -> bool:
        with self.app.app_context():
            found = db.session.scalar(
                select(QueuedEmail.id).where(QueuedEmail.to_address == email).limit(1)
            )
            db.session.remove()
        return found is not None

    def last_link(self, email: str) -> str:
        """The link of the newest email to `email`, as a path on the site."""
        with self.app.app_context():
            text = db.session.scalars(
                select(QueuedEmail.text_body)
                .where(QueuedEmail.to_address == email)
                .order_by(QueuedEmail.id.desc())
            ).first()
            db.session.remove()
        assert text, f"no email to {email}"
        match = re.search(re.escape(self.url) + r"(/\S+)", text)
        assert match, text
        return match.group(1)

    def totp_code(self) -> str:
        with self.app.app_context():
            db.session.execute(update(User).where(User.email == ADMIN).values(totp_last_step=None))
            db.session.commit()
            db.session.remove()
        return pyotp.TOTP(TOTP_SECRET).now()


@pytest.fixture(scope="module")
def council_site(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CouncilSite]:
    tmp = tmp_path_factory.mktemp("council-sign-in")
    database = Database.create(tmp, "oidc")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = app_config(database, tmp / "instance", copy_courses(tmp), url)
    env = environment(config)
    log = artifacts_dir() / f"council-sign-in-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
    server = Server(env=env, log_path=log, port=port)
    provider = RealProvider.start(f"{url}/login/provider/callback", f"{url}/login")
    app = None
    try:
        migrate(env)
        app = create_app(config)
        with app.app_context():
            brent = Organisation(name="Brent Council", has_sign_in_links=True)
            db.session.add(brent)
            db.session.flush()
            identity_providers.add_provider(
                brent,
                issuer=provider.issuer,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                domains=DOMAIN,
                audience="councillor",
                is_creating_accounts=True,
            )
            admin = create_user(
                email=ADMIN,
                name="Lead Admin",
                password=TEST_PASSWORD,
                role="admin",
                organisation=brent,
            )
            create_user(email=LINK_PERSON, name="Affi Member", password=None, organisation=brent)
            admin.totp_secret = TOTP_SECRET
            admin.totp_enabled_at = admin.created_at
            db.session.commit()
            db.session.remove()
        server.start()
        yield CouncilSite(url=url, app=app, provider=provider, browser=browser)
    finally:
        server.stop()
        provider.stop()
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        database.drop()


def shoot(page: Page, name: str) -> None:
    shot = artifacts_dir() / "council-sign-in" / f"{name}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)


def continue_with_council_account(page: Page, email: str) -> None:
    """From the sign-in page, by keyboard: the address, then the council's own sign-in."""
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("Sign in")
    type_into(page, page.get_by_label("Email address"), email)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    activate(page, page.get_by_role("link", name="Continue with your council account"))
    page.wait_for_load_state()


def sign_in_at_provider(page: Page, site: CouncilSite, email: str) -> None:
    """The provider's own sign-in page (its development page: any password)."""
    page.wait_for_url(f"{site.provider.issuer}/**")
    expect(page.locator("input[name=login]")).to_have_value(email)  # the login hint
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{site.url}/**")


def test_a_councillor_signs_in_with_their_council_account_and_out_again(
    council_site: CouncilSite,
) -> None:
    email = f"cllr.new@{DOMAIN}"
    page = council_site.page()
    page.goto("/login")
    assert_no_violations(page, "the sign-in page (address first)")
    shoot(page, "sign-in-address-first")

    type_into(page, page.get_by_label("Email address"), email)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Continue with your council account")).to_be_visible()
    assert_no_violations(page, "the sign-in page with the council's own sign-in")
    shoot(page, "sign-in-council-account")
    activate(page, page.get_by_role("link", name="Continue with your council account"))
    page.wait_for_load_state()

    sign_in_at_provider(page, council_site, email)
    assert page.url == f"{council_site.url}/", page.url
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    person = council_site.person(email)
    assert person is not None
    assert person.organisation_name == "Brent Council"
    assert person.audience == "councillor"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("You have signed out")
    assert_no_violations(page, "the signed-out page")
    shoot(page, "signed-out")
    activate(page, page.get_by_role("link", name="Sign out of your council account too"))
    page.wait_for_load_state()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{council_site.url}/login**")
    page.goto("/account")
    assert "/login" in page.url  # signed out here too

    # Signed out at the provider as well: it asks for the sign-in again.
    continue_with_council_account(page, email)
    page.wait_for_url(f"{council_site.provider.issuer}/**")
    expect(page.locator("input[name=password]")).to_be_visible()
    page.context.close()


def test_an_admin_signing_in_with_their_council_account_still_meets_the_second_factor(
    council_site: CouncilSite,
) -> None:
    page = council_site.page()
    continue_with_council_account(page, ADMIN)
    sign_in_at_provider(page, council_site, ADMIN)
    assert page.url == f"{council_site.url}/login/two-factor", page.url
    page.goto("/admin/")
    assert "/login" in page.url  # not signed in without the code
    page.goto("/login/two-factor")
    type_into(page, page.get_by_label("Code"), council_site.totp_code())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url, page.locator("main").inner_text()
    page.goto("/admin/")
    assert page.url.endswith("/admin/"), page.url

    # The admin pages of providers: axe-core, the keyboard, narrow screens.
    activate(page, page.get_by_role("link", name="Sign-in with council accounts"))
    page.wait_for_url("**/admin/identity-providers")
    assert_no_violations(page, "the list of identity providers")
    shoot(page, "admin-providers")
    activate(page, page.get_by_role("link", name="Brent Council"))
    page.wait_for_url("**/admin/identity-providers/*")
    assert_no_violations(page, "an identity provider's page")
    with page.expect_navigation():
        activate(page, page.get_by_role("button", name="Test this provider"))
    expect(page.get_by_text("can be used for signing in")).to_be_visible()
    assert_no_violations(page, "an identity provider's page after its test")
    shoot(page, "admin-provider-1280")
    for width in (320, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_reflows(page, f"an identity provider's page at {width} px")
        shoot(page, f"admin-provider-{width}")
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto("/admin/identity-providers/new")
    assert_reflows(page, "adding an identity provider at 320 px")
    assert_no_violations(page, "adding an identity provider")
    page.context.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_sign_in_pages_fit_narrow_screens(council_site: CouncilSite, width: int) -> None:
    page = council_site.page(width)
    page.goto("/login")
    assert_reflows(page, f"sign-in (address first) at {width} px")
    page.get_by_label("Email address").fill(f"someone@{DOMAIN}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert_reflows(page, f"sign-in with the council's own sign-in at {width} px")
    shoot(page, f"sign-in-council-account-{width}")
    page.context.close()


def test_someone_without_a_password_signs_in_with_a_link_by_email(
    council_site: CouncilSite,
) -> None:
    page = council_site.page()
    page.goto("/login")
    type_into(page, page.get_by_label("Email address"), LINK_PERSON)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with page.expect_navigation():
        activate(page, page.get_by_role("button", name="Email me a sign-in link"))
    expect(page.locator("h1")).to_have_text("Check your email")
    assert_no_violations(page, "the sign-in link sent page")
    shoot(page, "sign-in-link-sent")

    # The email is written once the answer has gone: wait for it (10 s at most).
    for _ in range(50):
        if council_site.has_mail(LINK_PERSON):
            break
        page.wait_for_timeout(200)
    link = council_site.last_link(LINK_PERSON)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Sign in with your link")
    assert_no_violations(page, "the sign-in link page")
    page.set_viewport_size({"width": 320, "height": 900})
    assert_reflows(page, "the sign-in link page at 320 px")
    with page.expect_navigation():
        activate(page, page.get_by_role("button", name="Sign in"))
    assert page.url == f"{council_site.url}/", page.url
    page.goto(link)
    expect(page.locator("h1")).to_have_text("This link does not work")  # used
    page.context.close()
