"""Admin shapes shared by every domain."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record that only the system writes (consents, outbox, events): staff look, never touch."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
