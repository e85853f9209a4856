"""Django admin for superusers: a back-office view of partnerships and people."""

from django.contrib import admin

from assessments.models import Assessment, Membership, Organisation, Partnership


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
    list_display = ["user", "partnership", "role", "organisation"]
    list_filter = ["partnership", "role"]
    list_select_related = ["user", "partnership", "organisation"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["partnership", "period", "status"]
    list_filter = ["partnership", "status"]
