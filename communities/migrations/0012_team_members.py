import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def members_to_team_members(apps, schema_editor):
    """Team.members (filled by the demo and the admin) becomes TeamMember rows, and every sublandlord of a
    community with a sublandlords' team becomes a member of it (the rule communities.services.teams keeps from
    now on). Nobody knows when those people joined nor who invited them: joined_at is the migration's time and
    invited_by stays empty, never guessed."""
    Team = apps.get_model("communities", "Team")
    TeamMember = apps.get_model("communities", "TeamMember")
    Membership = apps.get_model("communities", "Membership")
    now = django.utils.timezone.now()
    pairs = set(Team.members.through.objects.values_list("team_id", "user_id"))
    for team_id, community_id in Team.objects.filter(kind="landlord_team").values_list("pk", "community_id"):
        pairs |= {(team_id, user_id) for user_id in Membership.objects.filter(
            community_id=community_id, role="sublandlord").values_list("user_id", flat=True)}
    TeamMember.objects.bulk_create([TeamMember(team_id=t, user_id=u, joined_at=now) for t, u in sorted(pairs)])


def team_members_to_members(apps, schema_editor):
    Team = apps.get_model("communities", "Team")
    TeamMember = apps.get_model("communities", "TeamMember")
    through = Team.members.through
    through.objects.bulk_create([through(team_id=t, user_id=u) for t, u in TeamMember.objects.filter(
        left_at__isnull=True).values_list("team_id", "user_id").distinct()], ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('communities', '0011_decision_engine'),
    ]

    operations = [
        migrations.CreateModel(
            name='Backbone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('office', models.CharField(choices=[('president', '会长'), ('vice_president', '副会长'), ('backbone', '骨干'), ('studio_host', '主理人'), ('station_head', '负责人')], max_length=20, verbose_name='职务')),
                ('term_start', models.DateField(verbose_name='任职日期')),
                ('term_end', models.DateField(blank=True, null=True, verbose_name='卸任日期')),
                ('source', models.CharField(choices=[('election', '选举产生'), ('appointed', '任命')], max_length=10, verbose_name='产生方式')),
                ('appointed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='任命人')),
                ('election', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='communities.election', verbose_name='选举')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='backbones', to='communities.team', verbose_name='团队')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='backbone_terms', to=settings.AUTH_USER_MODEL, verbose_name='成员')),
            ],
            options={
                'verbose_name': '团队骨干',
                'verbose_name_plural': '团队骨干',
                'ordering': ['team', 'term_start', 'id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('term_end__isnull', True)), fields=('team', 'user'), name='uniq_current_backbone'), models.CheckConstraint(condition=models.Q(('term_end__isnull', True), ('term_end__gte', models.F('term_start')), _connector='OR'), name='backbone_term_ends_after_start'), models.CheckConstraint(condition=models.Q(models.Q(('appointed_by__isnull', True), ('source', 'election')), models.Q(('election__isnull', True), ('source', 'appointed')), _connector='OR'), name='backbone_source_consistent')],
            },
        ),
        migrations.CreateModel(
            name='TeamMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('joined_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='加入时间')),
                ('left_at', models.DateTimeField(blank=True, null=True, verbose_name='退出时间')),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='team_invitees', to=settings.AUTH_USER_MODEL, verbose_name='邀请人')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='communities.team', verbose_name='团队')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='team_memberships', to=settings.AUTH_USER_MODEL, verbose_name='成员')),
            ],
            options={
                'verbose_name': '团队成员',
                'verbose_name_plural': '团队成员',
                'ordering': ['team', 'joined_at', 'id'],
                'indexes': [models.Index(condition=models.Q(('left_at__isnull', True)), fields=['user', 'team'], name='team_member_open_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('left_at__isnull', True)), fields=('team', 'user'), name='uniq_open_team_member'), models.CheckConstraint(condition=models.Q(('left_at__isnull', True), ('left_at__gte', models.F('joined_at')), _connector='OR'), name='team_member_leaves_after_joining')],
            },
        ),
        migrations.RunPython(members_to_team_members, team_members_to_members),
        migrations.RemoveField(
            model_name='team',
            name='members',
        ),
    ]
