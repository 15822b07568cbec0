"""Django admin for superusers only.

Couples' sessions are sensitive: staff flags and model permissions are not
enough, every page here checks `is_superuser`. Seat secrets are never shown,
and the event log cannot be edited through the admin (it is the record). What
the admin does change in a room (a session's bookkeeping, a seat) is saved and
deleted by the store (`sessions.store.admin_writes`), the only code that writes a room.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from sessions.models import CoupleSession, Event, Protocol, Seat
from sessions.store import admin_writes
from sessions.web.invite import can_invite, link_lifetime, password_link


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class WrittenByTheStore:
    def save_model(self, request, obj, form, change):
        admin_writes.save(obj, form.changed_data, new=not change)

    def delete_model(self, request, obj):
        admin_writes.delete(obj)

    def delete_queryset(self, request, queryset):
        admin_writes.delete(queryset)


class ProtocolForm(forms.ModelForm):
    class Meta:
        model = Protocol
        fields = ["source", "owner"]
        widgets = {"source": forms.Textarea(attrs={"rows": 30, "cols": 100})}


@admin.register(Protocol)
class ProtocolAdmin(SuperuserOnly, admin.ModelAdmin):
    # Everything but the TOML source is derived from it by Protocol.clean(), which
    # reports loader errors on the source field.
    form = ProtocolForm
    list_display = ["title", "slug", "minutes", "owner", "is_builtin", "updated_at"]
    list_filter = ["is_builtin"]
    search_fields = ["slug", "title"]
    readonly_fields = ["slug", "title", "minutes", "for_whom", "summary", "is_builtin"]
    fields = ["source", "owner", *readonly_fields]


class SeatInline(admin.TabularInline):
    model = Seat
    fields = ["seat", "name", "claimed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CoupleSession)
class CoupleSessionAdmin(SuperuserOnly, WrittenByTheStore, admin.ModelAdmin):
    list_display = ["protocol_title", "status", "counselor", "created_at", "expires_at"]
    list_filter = ["status", "protocol_slug"]
    search_fields = ["code", "protocol_slug", "counselor__username"]
    readonly_fields = ["code", "protocol_slug", "protocol_title", "version", "status", "state"]
    exclude = ["protocol_doc"]
    inlines = [SeatInline]
    date_hierarchy = "created_at"


@admin.register(Seat)
class SeatAdmin(SuperuserOnly, WrittenByTheStore, admin.ModelAdmin):
    list_display = ["session", "seat", "name", "claimed_at"]
    exclude = ["token_hash"]
    readonly_fields = ["session", "seat", "claimed_at"]


@admin.register(Event)
class EventAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["session", "version", "actor", "action", "created_at"]
    list_filter = ["actor", "action"]
    list_select_related = ["session"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Counselor accounts ---------------------------------------------------------------
# A new counselor is invited from /counselor/invite/ (linked at the top of the user list);
# here a superuser can also make a fresh one-time link for an invitation that ran out or
# a lost password. Only superusers: a staff member who could make a link for any
# account could take over a superuser's.

User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class CounselorUserAdmin(UserAdmin):
    change_list_template = "admin/auth/user/stay_change_list.html"
    actions = ["make_password_links"]

    def has_invite_permission(self, request):
        return can_invite(request.user)

    @admin.action(description=gettext_lazy("Make a link to set a password"), permissions=["invite"])
    def make_password_links(self, request, queryset):
        for user in queryset:
            if not user.is_active:
                self.message_user(
                    request,
                    f"{user.get_username()} is not active; make them active first.",
                    messages.WARNING,
                )
                continue
            link = password_link(request, user)
            self.message_user(
                request,
                format_html(
                    'Link for {} (works once, for {}): <a href="{}">{}</a>',
                    user.get_username(),
                    link_lifetime(),
                    link,
                    link,
                ),
                messages.SUCCESS,
            )
