from django.db import migrations


class Migration(migrations.Migration):
    """The app's first migration: its areas' models follow, one migration each."""

    initial = True
    dependencies = [("communities", "0028_rota_ratio")]
    operations: list = []
