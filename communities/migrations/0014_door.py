"""The door's rows (issue 11 item 6): which apps serve a community, where a case came from, the apps' figures.

The cases already made from a meeting's action item get their origin here (the item names its case); the app
cases (mediation records, rental flags) get theirs in the app's own migration."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def action_item_origins(apps, schema_editor):
    ActionItem = apps.get_model("communities", "ActionItem")
    CaseOrigin = apps.get_model("communities", "CaseOrigin")
    known = set(CaseOrigin.objects.values_list("case_id", flat=True))
    CaseOrigin.objects.bulk_create([
        CaseOrigin(case_id=case_id, app_label="communities", kind="communities.action_item", object_id=pk,
                   created_at=created_at)
        for pk, case_id, created_at in ActionItem.objects.filter(case__isnull=False)
        .values_list("pk", "case_id", "case__created_at") if case_id not in known])


class Migration(migrations.Migration):

    dependencies = [
        ('communities', '0013_needs_documents'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseOrigin',
            fields=[
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='origin', serialize=False, to='communities.case', verbose_name='诉求')),
                ('app_label', models.SlugField(verbose_name='应用')),
                ('kind', models.CharField(max_length=80, verbose_name='来源类型')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='来源编号')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='记录时间')),
            ],
            options={
                'verbose_name': '诉求来源',
                'verbose_name_plural': '诉求来源',
                'indexes': [models.Index(fields=['kind', 'object_id'], name='case_origin_object_idx')],
            },
        ),
        migrations.CreateModel(
            name='CommunityApp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('app_label', models.SlugField(verbose_name='应用')),
                ('since', models.DateTimeField(default=django.utils.timezone.now, verbose_name='开通时间')),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='apps', to='communities.community', verbose_name='社区')),
            ],
            options={
                'verbose_name': '社区开通的应用',
                'verbose_name_plural': '社区开通的应用',
                'ordering': ['community', 'app_label'],
                'constraints': [models.UniqueConstraint(fields=('community', 'app_label'), name='uniq_community_app')],
            },
        ),
        migrations.CreateModel(
            name='CommunityFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('app_label', models.SlugField(verbose_name='应用')),
                ('key', models.SlugField(max_length=80, verbose_name='指标')),
                ('day', models.DateField(verbose_name='日期')),
                ('value', models.BigIntegerField(verbose_name='数值')),
                ('label', models.CharField(max_length=100, verbose_name='名称')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='记录时间')),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='figures', to='communities.community', verbose_name='社区')),
            ],
            options={
                'verbose_name': '社区指标',
                'verbose_name_plural': '社区指标',
                'ordering': ['community', 'app_label', 'key', '-day'],
                'indexes': [models.Index(fields=['community', '-day'], name='community_figure_day_idx')],
                'constraints': [models.UniqueConstraint(fields=('community', 'app_label', 'key', 'day'), name='uniq_community_figure_day')],
            },
        ),
        migrations.RunPython(action_item_origins, migrations.RunPython.noop),
    ]
