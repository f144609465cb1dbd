"""Issue 11 item 5 and the shared bases (item 3).

1. ``CasePhoto`` becomes a ``StoredPhoto``: ``created_at`` is renamed ``uploaded_at`` (the column is renamed,
   its values kept) and ``size`` is added, filled in from the stored files.
2. The co-building needs list (``CommunityNeed``, ``NeedEvent``, ``NeedPhoto``) and the versioned documents
   (``DocumentVersion``, ``DocumentAcknowledgement``) move from ``landlords`` to the core. Here only the
   migration *state* learns them (``SeparateDatabaseAndState`` with no database operation); their tables,
   with every row, are renamed from ``landlords_*`` to ``communities_*`` and brought to the shape of the
   bases by ``landlords.0003_needs_documents_to_core``, which runs after this one. Nothing is dropped.
"""
import communities.models.base
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def photo_sizes(apps, schema_editor):
    """The byte size of each stored case photo (0 when its file is gone)."""
    CasePhoto = apps.get_model("communities", "CasePhoto")
    for photo in CasePhoto.objects.filter(size=0).exclude(image="").iterator():
        try:
            size = photo.image.storage.size(photo.image.name)
        except (OSError, NotImplementedError):
            continue
        CasePhoto.objects.filter(pk=photo.pk).update(size=size)


class Migration(migrations.Migration):

    dependencies = [
        ('communities', '0012_team_members'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='casephoto',
            options={'ordering': ['uploaded_at', 'id'], 'verbose_name': '诉求照片', 'verbose_name_plural': '诉求照片'},
        ),
        migrations.RenameField(
            model_name='casephoto',
            old_name='created_at',
            new_name='uploaded_at',
        ),
        migrations.AddField(
            model_name='casephoto',
            name='size',
            field=models.PositiveIntegerField(default=0, verbose_name='大小(字节)'),
        ),
        migrations.RunPython(photo_sizes, migrations.RunPython.noop),
        # The moved models: state only. Their tables are renamed by landlords.0003_needs_documents_to_core.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='CommunityNeed',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=100, verbose_name='需求')),
                        ('description', models.TextField(blank=True, verbose_name='说明')),
                        ('quantity', models.CharField(blank=True, help_text='例如：长椅 6 张', max_length=100, verbose_name='需要什么、多少')),
                        ('status', models.CharField(choices=[('open', '待认领'), ('claimed', '已认领'), ('delivered', '已交付待确认'), ('confirmed', '已完成'), ('withdrawn', '已撤下')], default='open', max_length=12, verbose_name='状态')),
                        ('posted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='发布时间')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='认领时间')),
                        ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='交付时间')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                        ('claimed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='claimed_needs', to=settings.AUTH_USER_MODEL, verbose_name='认领人')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='needs', to='communities.community', verbose_name='社区')),
                        ('posted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发布人')),
                        ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='claimed_needs', to='communities.team', verbose_name='认领团队')),
                    ],
                    options={
                        'verbose_name': '共建需求',
                        'verbose_name_plural': '共建需求',
                        'ordering': ['-posted_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='DocumentVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=10, verbose_name='文件')),
                        ('number', models.PositiveIntegerField(verbose_name='版本号')),
                        ('title', models.CharField(max_length=100, verbose_name='标题')),
                        ('body', models.TextField(verbose_name='正文')),
                        ('status', models.CharField(choices=[('draft', '草案待审议'), ('adopted', '现行版本'), ('superseded', '已被新版本取代'), ('withdrawn', '草案已撤回')], default='draft', max_length=10, verbose_name='状态')),
                        ('drafted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='起草时间')),
                        ('adopted_on', models.DateField(blank=True, null=True, verbose_name='通过日期')),
                        ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='审定时间')),
                        ('superseded_at', models.DateTimeField(blank=True, null=True, verbose_name='废止时间')),
                        ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='撤回时间')),
                        ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审定人')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='document_versions', to='communities.community', verbose_name='社区')),
                        ('drafted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='起草人')),
                    ],
                    options={
                        'verbose_name': '章程/公约版本',
                        'verbose_name_plural': '章程/公约版本',
                        'ordering': ['community', 'kind', '-number'],
                    },
                ),
                migrations.CreateModel(
                    name='DocumentAcknowledgement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('method', models.CharField(choices=[('app', '在线确认'), ('paper', '纸质签字')], max_length=10, verbose_name='方式')),
                        ('signed_on', models.DateField(verbose_name='签署日期')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='登记时间')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='document_acks', to='communities.person', verbose_name='人员')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
                        ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acknowledgements', to='communities.documentversion', verbose_name='版本')),
                    ],
                    options={
                        'verbose_name': '章程/公约确认',
                        'verbose_name_plural': '章程/公约确认',
                        'ordering': ['version', 'person'],
                    },
                ),
                migrations.CreateModel(
                    name='NeedEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(max_length=30, verbose_name='操作')),
                        ('from_status', models.CharField(blank=True, max_length=30, verbose_name='原状态')),
                        ('to_status', models.CharField(blank=True, max_length=30, verbose_name='新状态')),
                        ('note', models.TextField(blank=True, verbose_name='说明')),
                        ('data', models.JSONField(blank=True, default=dict, verbose_name='详情')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                        ('need', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='communities.communityneed', verbose_name='需求')),
                    ],
                    options={
                        'verbose_name': '共建需求记录',
                        'verbose_name_plural': '共建需求记录',
                        'ordering': ['at', 'id'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='NeedPhoto',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('image', models.FileField(upload_to=communities.models.base.stored_photo_path, verbose_name='照片')),
                        ('extension', models.CharField(default='jpg', max_length=5)),
                        ('size', models.PositiveIntegerField(default=0, verbose_name='大小(字节)')),
                        ('width', models.PositiveIntegerField(default=0)),
                        ('height', models.PositiveIntegerField(default=0)),
                        ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='上传时间')),
                        ('event', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='photos', to='communities.needevent', verbose_name='记录')),
                        ('need', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='communities.communityneed', verbose_name='需求')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上传人')),
                    ],
                    options={
                        'verbose_name': '共建需求照片',
                        'verbose_name_plural': '共建需求照片',
                        'ordering': ['uploaded_at', 'id'],
                        'abstract': False,
                    },
                ),
                migrations.AddIndex(
                    model_name='communityneed',
                    index=models.Index(fields=['community', 'status'], name='need_community_status_idx'),
                ),
                migrations.AddConstraint(
                    model_name='communityneed',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['open', 'withdrawn']), ('claimed_by__isnull', False), _connector='OR'), name='need_claimed_has_giver'),
                ),
                migrations.AddConstraint(
                    model_name='documentversion',
                    constraint=models.UniqueConstraint(fields=('community', 'kind', 'number'), name='uniq_document_version_number'),
                ),
                migrations.AddConstraint(
                    model_name='documentversion',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'adopted')), fields=('community', 'kind'), name='uniq_document_current_version'),
                ),
                migrations.AddConstraint(
                    model_name='documentversion',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'draft')), fields=('community', 'kind'), name='uniq_document_open_draft'),
                ),
                migrations.AddConstraint(
                    model_name='documentversion',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'withdrawn']), models.Q(('adopted_on__isnull', False), ('approved_by__isnull', False)), _connector='OR'), name='document_adopted_has_date_and_approver'),
                ),
                migrations.AddIndex(
                    model_name='documentacknowledgement',
                    index=models.Index(fields=['person', 'version'], name='document_ack_person_idx'),
                ),
                migrations.AddConstraint(
                    model_name='documentacknowledgement',
                    constraint=models.UniqueConstraint(fields=('version', 'person'), name='uniq_document_ack_per_person'),
                ),
            ],
        ),
    ]
