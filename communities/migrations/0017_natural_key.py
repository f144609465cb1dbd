from django.db import migrations

from communities.natural import POSTGRES_FUNCTION


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS natural_key(text)")


class Migration(migrations.Migration):
    """The SQL function behind communities.natural.Natural (on SQLite it is registered per connection)."""

    dependencies = [("communities", "0016_meeting_events_timeline")]

    operations = [migrations.RunPython(create, drop)]
