"""A trigram index on the folded name, so that the name search (`search_name LIKE
'%…%'`) is an index scan on PostgreSQL instead of a scan of every person (issue 8,
docs/performance.md). pg_trgm is a trusted extension (PostgreSQL 13+): a role with
CREATE on the database may install it. SQLite, the embedded default, has no such
index and needs none at its scale."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS cases_person_search_name_trgm "
    "ON cases_person USING gin (search_name gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS cases_person_search_name_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_factor_catalogue")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
