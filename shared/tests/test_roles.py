"""Role helpers on every door: view decorator, class mixin, DRF permission, template filter."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.template import Context, Template

from shared.accounts.roles import HasRole, grant_role, role_required, seed_roles

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/doors/staff-function/", "/doors/staff-class/"])
def test_page_helpers_send_anonymous_users_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("path", ["/doors/staff-function/", "/doors/staff-class/"])
def test_page_helpers_refuse_the_wrong_role_with_the_403_page(page_client_for, make_user, path):
    client = page_client_for(make_user(roles=["member"], email="mia@example.com"))
    response = client.get(path)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Access denied" in page
    assert "mia@example.com" in page


@pytest.mark.parametrize("path", ["/doors/staff-function/", "/doors/staff-class/"])
def test_page_helpers_let_the_role_in(page_client_for, make_user, path):
    client = page_client_for(make_user(roles=["staff"]))
    assert client.get(path).status_code == 200


def test_superuser_holds_every_role(page_client_for, make_user):
    client = page_client_for(make_user(is_superuser=True))
    assert client.get("/doors/staff-class/").status_code == 200


def test_inactive_user_holds_no_role(make_user):
    user = make_user(roles=["staff"], is_active=False)
    assert not user.has_role("staff")


def test_api_permission_needs_a_token_then_the_role(api_client, api_client_for, make_user):
    anonymous = api_client.get("/doors/api/staff/")
    assert anonymous.status_code == 401
    member = api_client_for(make_user(roles=["member"])).get("/doors/api/staff/")
    assert member.status_code == 403
    assert member.json()["errors"][0] == {
        "code": "permission_denied",
        "detail": "Your role does not allow this action.",
        "attr": None,
    }
    staff = api_client_for(make_user(roles=["staff"])).get("/doors/api/staff/")
    assert staff.status_code == 200


def test_template_filter_matches_the_view_rule(page_client_for, make_user):
    staff_page = page_client_for(make_user(roles=["staff"])).get("/doors/").content.decode()
    assert 'id="staff-link"' in staff_page and 'id="member-or-staff"' in staff_page


def test_template_filter_hides_links_the_user_cannot_open(client, make_user):
    assert 'id="staff-link"' not in client.get("/doors/").content.decode()
    client.force_login(make_user(roles=["member"]))
    page = client.get("/doors/").content.decode()
    assert 'id="staff-link"' not in page
    assert 'id="member-or-staff"' in page  # "staff,member" means either role


def test_template_filter_on_anonymous_user():
    from django.contrib.auth.models import AnonymousUser

    template = Template(
        '{% load shared_tags %}{% if user|has_role:"staff" %}yes{% else %}no{% endif %}'
    )
    assert template.render(Context({"user": AnonymousUser()})) == "no"


def test_undeclared_roles_are_refused_at_import_time():
    with pytest.raises(ImproperlyConfigured, match="nurse"):
        role_required("nurse")
    with pytest.raises(ImproperlyConfigured):
        HasRole.of("staff", "nurse")


def test_grant_role_refreshes_the_cached_role_names(make_user):
    user = make_user()
    assert not user.has_role("member")  # caches the (empty) role names
    grant_role(user, "member")
    assert user.has_role("member")
    with pytest.raises(ImproperlyConfigured):
        grant_role(user, "nurse")


def test_seed_roles_is_idempotent(capsys):
    Group.objects.all().delete()
    assert sorted(seed_roles()) == ["member", "staff"]
    assert seed_roles() == []
    call_command("seed_roles")
    assert "none (all present)" in capsys.readouterr().out
    assert Group.objects.count() == 2


def test_role_labels_are_empty_for_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    template = Template("{% load shared_tags %}[{{ user|role_labels|join:',' }}]")
    assert template.render(Context({"user": AnonymousUser()})) == "[]"


# --- Refusing an empty rule, named role sets, the default role, object permissions ----------


def test_every_helper_refuses_an_empty_role_list():
    from shared.accounts.roles import RoleRequiredMixin, resolve_roles

    with pytest.raises(ImproperlyConfigured):
        role_required()
    with pytest.raises(ImproperlyConfigured):
        HasRole.of()
    with pytest.raises(ImproperlyConfigured):
        resolve_roles(" , ")

    class NoRoles(RoleRequiredMixin):
        pass

    with pytest.raises(ImproperlyConfigured):
        NoRoles().dispatch(None)


def test_a_named_role_set_stands_for_its_roles(settings, make_user):
    from shared.accounts.roles import resolve_roles

    settings.ROLE_SETS = {"everyone": ("staff", "member")}
    assert resolve_roles("everyone") == ("staff", "member")
    assert resolve_roles("staff") == ("staff",)
    template = Template('{% load shared_tags %}{% if user|has_role:"everyone" %}yes{% endif %}')
    assert template.render(Context({"user": make_user(roles=["member"])})) == "yes"


def test_self_registration_grants_the_default_role(settings):
    from shared.accounts.services import register_user

    settings.DEFAULT_ROLE = "member"
    user = register_user(
        email="new@example.com", password="a-long-pass-2024", base_url="http://testserver/"
    )
    assert user.role_names == {"member"}


def test_without_a_default_role_registration_grants_none(settings):
    from shared.accounts.services import register_user

    settings.DEFAULT_ROLE = None
    user = register_user(
        email="plain@example.com", password="a-long-pass-2024", base_url="http://testserver/"
    )
    assert user.role_names == set()


def test_object_permissions_go_through_has_perm_and_the_rules_backend(make_user):
    """A role that holds for one object (here: the owner of a lab counter) is asked with
    Django's own user.has_perm(perm, obj); global roles combine with it."""
    from shared.tests.project.lab.models import Counter

    owner = make_user(email="owner@example.com")
    other = make_user(email="other@example.com")
    staff = make_user(email="staff@example.com", roles=["staff"])
    counter = Counter.objects.create(name=f"owned-by-{owner.pk}")
    assert owner.has_perm("lab.reset_counter", counter)
    assert not other.has_perm("lab.reset_counter", counter)
    assert staff.has_perm("lab.reset_counter", counter)  # has_role("staff") | owns


def test_has_role_predicate_refuses_an_empty_role_list():
    from shared.accounts.rules import has_role

    with pytest.raises(ImproperlyConfigured):
        has_role()
