from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    """Make the database cache's table that holds the throttles' counters (if missing)."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
