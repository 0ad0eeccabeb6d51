"""The follow-up date agreed when a conversation was held, kept on the conversation
(follow_up_on moves on with each follow-up). Conversations held before this field
get it from their "held" timeline entry, which recorded it."""

from datetime import date

from django.db import migrations, models


def backfill(apps, schema_editor):
    Conversation = apps.get_model("conversations", "ConcernConversation")
    TimelineEntry = apps.get_model("timeline", "TimelineEntry")
    held = {
        str(c.pk): c for c in Conversation.objects.filter(held_on__isnull=False)
    }
    for entry in TimelineEntry.objects.filter(
        kind="conversations.held", source_id__in=list(held)
    ):
        agreed = (entry.params or {}).get("follow_up_on")
        conversation = held.get(entry.source_id)
        if agreed and conversation is not None:
            conversation.agreed_follow_up_on = date.fromisoformat(agreed)
    Conversation.objects.bulk_update(held.values(), ["agreed_follow_up_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0002_catalogues"),
        ("timeline", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="concernconversation",
            name="agreed_follow_up_on",
            field=models.DateField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="follow-up date agreed when held",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
