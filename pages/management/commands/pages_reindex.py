from django.core.management.base import BaseCommand

from pages import services
from pages.models import SearchEntry


class Command(BaseCommand):
    help = "Rebuild the site search index from the published content (after a bulk import or a restore)."

    def handle(self, *args, **options):
        services.search_index_rebuild()
        self.stdout.write(f"Indexed {SearchEntry.objects.count()} items.")
