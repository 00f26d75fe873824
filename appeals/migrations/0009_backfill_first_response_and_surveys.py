"""Fill the new columns from what already happened: each appeal's first public word from staff (the
dashboard's response times) and a satisfaction survey for every rating given before surveys existed."""

from django.db import migrations
from django.db.models import Min, OuterRef, Q, Subquery

RESPONSE = Q(kind__in=["message", "extension", "redirect", "answer"]) | Q(
    kind="transition", to_status="waiting_for_customer"
)


def first_responses(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    first = (
        AppealEvent.objects.filter(RESPONSE, appeal=OuterRef("pk"), actor__is_staff=True)
        .exclude(actor=OuterRef("author"))
        .values("appeal")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    Appeal.objects.exclude(status="registered", answered_at__isnull=True).update(first_response_at=Subquery(first))


SURVEYS = """
INSERT INTO surveys_survey (subject, object_id, respondent_id, service_rating, supply_rating, solved, comment,
                            created_at)
SELECT 'appeals.appeal', id, author_id, rating, NULL, NULL, rating_comment, rated_at
FROM appeals_appeal WHERE rating IS NOT NULL AND rated_at IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0008_appealdecision_appeal_first_response_at_and_more"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(first_responses, migrations.RunPython.noop, elidable=True),
        migrations.RunSQL(SURVEYS, migrations.RunSQL.noop, elidable=True),
    ]
