"""Django admin for superusers: a back-office view of partnerships and people."""

from __future__ import annotations

from django.contrib import admin

from assessments.models import Assessment, Membership, Organisation, Partnership, PeopleChange


class OrganisationInline(admin.TabularInline):
    model = Organisation
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "area_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "role", "organisation", "deactivated_at"]
    list_filter = ["partnership", "role"]
    list_select_related = ["user", "partnership", "organisation"]

    def get_queryset(self, request):
        # Deactivated memberships too: the back office sees everyone the history names.
        return Membership.everyone.select_related("user", "partnership", "organisation")


@admin.register(PeopleChange)
class PeopleChangeAdmin(admin.ModelAdmin):
    """The people audit trail, read-only: nobody edits or erases it, superusers included."""

    list_display = ["changed_at", "partnership", "action", "person_name", "old_value", "new_value"]
    list_filter = ["partnership", "action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Published assessments are shown read-only; the status is never edited here."""

    list_display = ["partnership", "period", "status"]
    list_filter = ["partnership", "status"]
    # Opening a workshop and the board's publishing set the status (publishing freezes the
    # snapshot too); editing it here would skip both.
    readonly_fields = ["status", "published_at", "created_at"]

    def has_change_permission(self, request, obj: Assessment | None = None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and obj.is_published)

    def has_delete_permission(self, request, obj: Assessment | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)
