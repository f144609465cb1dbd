"""The needs list and the versioned documents move to the core (issue 11 item 5), with every row.

The database side renames the five tables ``landlords_*`` → ``communities_*`` (``AlterModelTable``: an
``ALTER TABLE … RENAME``, rows, ids and foreign keys untouched) after bringing the need events and photos to
the shape of the core's bases (``TimelineEvent``: wider action and state columns, an optional actor, a
``data`` column; ``StoredPhoto``: ``created_at`` renamed ``uploaded_at``, a ``size`` column). The state side
forgets the models here; ``communities.0013_needs_documents`` has declared them in the core. Nothing is
dropped or recreated.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["communityneed", "needevent", "needphoto", "documentversion", "documentacknowledgement"]


def photo_sizes(apps, schema_editor):
    """The byte size of each stored need photo (0 when its file is gone)."""
    NeedPhoto = apps.get_model("communities", "NeedPhoto")
    for photo in NeedPhoto.objects.filter(size=0).exclude(image="").iterator():
        try:
            size = photo.image.storage.size(photo.image.name)
        except (OSError, NotImplementedError):
            continue
        NeedPhoto.objects.filter(pk=photo.pk).update(size=size)


class Migration(migrations.Migration):

    dependencies = [
        ('landlords', '0002_teamofficer_to_backbone'),
        ('communities', '0013_needs_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterField(
                    model_name='needevent', name='action',
                    field=models.CharField(max_length=30, verbose_name='操作'),
                ),
                migrations.AlterField(
                    model_name='needevent', name='from_status',
                    field=models.CharField(blank=True, max_length=30, verbose_name='原状态'),
                ),
                migrations.AlterField(
                    model_name='needevent', name='to_status',
                    field=models.CharField(blank=True, max_length=30, verbose_name='新状态'),
                ),
                migrations.AlterField(
                    model_name='needevent', name='actor',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                            related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
                ),
                migrations.AddField(
                    model_name='needevent', name='data',
                    field=models.JSONField(blank=True, default=dict, verbose_name='详情'),
                ),
                migrations.RenameField(model_name='needphoto', old_name='created_at', new_name='uploaded_at'),
                migrations.AddField(
                    model_name='needphoto', name='size',
                    field=models.PositiveIntegerField(default=0, verbose_name='大小(字节)'),
                ),
                *[migrations.AlterModelTable(name=name, table=f"communities_{name}") for name in MOVED],
            ],
            state_operations=[
                migrations.DeleteModel(name='NeedPhoto'),
                migrations.DeleteModel(name='NeedEvent'),
                migrations.DeleteModel(name='CommunityNeed'),
                migrations.DeleteModel(name='DocumentAcknowledgement'),
                migrations.DeleteModel(name='DocumentVersion'),
            ],
        ),
        migrations.RunPython(photo_sizes, migrations.RunPython.noop),
    ]
