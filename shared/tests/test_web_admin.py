"""The read-only admin bases: no add, change or delete button, whoever asks."""

from django.contrib.admin import AdminSite
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from shared.web.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline


def test_a_superuser_can_only_view_through_the_read_only_bases(make_user):
    superuser = make_user(is_superuser=True, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    User = get_user_model()
    model_admin = ReadOnlyModelAdmin(User, AdminSite())
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, superuser)
    assert not model_admin.has_delete_permission(request, superuser)

    inline = type("GroupsInline", (ReadOnlyTabularInline,), {"model": User.groups.through})
    inline = inline(User, AdminSite())
    assert not inline.has_add_permission(request, superuser)
    assert inline.can_delete is False and inline.extra == 0
