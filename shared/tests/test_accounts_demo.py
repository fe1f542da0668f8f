"""Demo users for `make run`, the demo_logins command, and the User admin."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from shared.accounts.demo import ensure_demo_user, seed_demo_users

pytestmark = pytest.mark.django_db
User = get_user_model()

LOGINS = [
    {"role": "admin", "email": "admin@demo.test", "password": "admin-demo-pass-1"},
    {
        "role": "staff",
        "email": "Staff@Demo.test",
        "password": "staff-demo-pass-1",
        "full_name": "Sam",
    },
    {"role": "member", "email": "member@demo.test", "password": "member-demo-pass-1"},
]


def test_seed_demo_users_creates_working_logins_once(settings, client):
    settings.DEMO_LOGINS = LOGINS
    admin, staff, member = seed_demo_users()
    assert admin.is_superuser and admin.is_staff
    assert staff.email == "staff@demo.test" and staff.full_name == "Sam"
    assert staff.has_role("staff") and not staff.has_role("member")
    assert member.has_role("member") and member.is_active and member.email_verified
    for login in LOGINS:
        response = client.post(
            "/accounts/login/", {"username": login["email"], "password": login["password"]}
        )
        assert response.status_code == 302, login["email"]

    before = list(User.objects.values_list("pk", "password", "is_active", "full_name"))
    seed_demo_users()  # a second run changes nothing
    assert list(User.objects.values_list("pk", "password", "is_active", "full_name")) == before
    assert User.objects.count() == 3


def test_ensure_demo_user_repairs_a_changed_account():
    user = ensure_demo_user(email="fix@demo.test", password="fix-demo-pass-1", roles=["member"])
    user.set_password("something-else")
    user.is_active = False
    user.save()
    ensure_demo_user(email="fix@demo.test", password="fix-demo-pass-1", roles=["member"])
    user.refresh_from_db()
    assert user.is_active and user.check_password("fix-demo-pass-1")
    assert list(user.groups.values_list("name", flat=True)) == ["member"]


def test_undeclared_role_in_demo_logins_creates_a_plain_user(settings):
    (user,) = seed_demo_users([{"role": "visitor", "email": "v@demo.test", "password": "p-demo-1"}])
    assert user.role_names == set() and not user.is_staff


def test_demo_logins_prints_json(settings, capsys):
    settings.DEMO_LOGINS = [{**LOGINS[0], "full_name": "ignored"}]
    call_command("demo_logins")
    assert json.loads(capsys.readouterr().out) == [
        {"role": "admin", "email": "admin@demo.test", "password": "admin-demo-pass-1"}
    ]


def test_admin_lists_users_with_roles_and_adds_one(admin_client, make_user):
    make_user(email="listed@example.com", roles=["staff"])
    changelist = admin_client.get("/admin/accounts/user/?q=listed")
    assert changelist.status_code == 200
    assert "listed@example.com" in changelist.content.decode()
    user = User.objects.get(email="listed@example.com")
    assert admin_client.get(f"/admin/accounts/user/{user.pk}/change/").status_code == 200

    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "added@example.com",
            "full_name": "Added",
            "usable_password": "true",
            "password1": "violet-mountain-42-river",
            "password2": "violet-mountain-42-river",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="added@example.com").check_password("violet-mountain-42-river")
