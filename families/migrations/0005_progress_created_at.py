import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Progress updates get the time they were recorded, so that of two updates of
    one day the later is the latest (the existing ones get the migration's time)."""

    dependencies = [
        ("families", "0004_exportjob"),
    ]

    operations = [
        migrations.AddField(
            model_name="progress",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True,
                default=django.utils.timezone.now,
                verbose_name="recorded at",
            ),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="progress",
            options={
                "ordering": ["-recorded_on", "-created_at", "-pk"],
                "verbose_name": "progress update",
                "verbose_name_plural": "progress updates",
            },
        ),
    ]
