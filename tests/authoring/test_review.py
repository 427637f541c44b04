"""Review: with the setting on, a second admin approves a draft before it is published,
nobody approves their own changes, and a change after an approval needs a new one."""

from __future__ import annotations

from tests.authoring.conftest import BASICS, RULES, WELCOME, edit_url, open_editor, text_of

BASE = f"/admin/courses/{BASICS}"


def draft(client, path, words):
    text, base = open_editor(client, path)
    data = {"text": text + f"\n{words}\n", "base_hash": base, "save": "Save"}
    assert client.post(edit_url(path), data=data).status_code == 302


def publish(client):
    return client.post(f"{BASE}/draft/publish", data={"note": "Reviewed", "publish_all": "1"})


def test_review_is_off_by_default(admin, tree):
    draft(admin, WELCOME, "No review needed.")
    assert publish(admin).status_code == 302
    assert "No review needed." in (tree / BASICS / WELCOME).read_text()


def test_a_second_admin_approves_and_nobody_approves_their_own(app, admin, login_as, tree):
    other = login_as(role="admin")
    assert admin.post(f"{BASE}/draft/review", data={"needs_review": "y"}).status_code == 302
    draft(admin, WELCOME, "Needs a second pair of eyes.")
    page = text_of(admin.get(f"{BASE}/draft"))
    assert "Waiting for approval" in page
    refused = publish(admin)
    assert refused.status_code == 400
    assert "needs a second admin&#39;s approval" in text_of(refused)
    # The author cannot approve their own change.
    admin.post(f"{BASE}/draft/approve")
    assert "holds changes of your own" in text_of(admin.get(f"{BASE}/draft"))
    assert publish(admin).status_code == 400
    # Another admin approves; a change saved afterwards needs a new approval.
    assert other.post(f"{BASE}/draft/approve").status_code == 302
    assert "Approved" in text_of(admin.get(f"{BASE}/draft"))
    draft(admin, RULES, "Saved after the approval.")
    assert publish(admin).status_code == 400
    assert other.post(f"{BASE}/draft/approve").status_code == 302
    assert publish(admin).status_code == 302
    assert "Needs a second pair of eyes." in (tree / BASICS / WELCOME).read_text()
    # A draft with the other admin's change cannot be approved by them either.
    draft(other, WELCOME, "Theirs.")
    other.post(f"{BASE}/draft/approve")
    assert "holds changes of your own" in text_of(other.get(f"{BASE}/draft"))
    # Turning review off lets it go.
    assert admin.post(f"{BASE}/draft/review", data={}).status_code == 302
    assert publish(admin).status_code == 302
