"""The 蓉治社 officers move to the core's Backbone (communities.models.teams), which generalises them to every
team's key people. Each row is copied with its dates and its election; a row without an election was set by
hand and becomes an appointment whose appointer nobody recorded. Only then is the old table dropped."""
from django.db import migrations


def officers_to_backbones(apps, schema_editor):
    TeamOfficer = apps.get_model("landlords", "TeamOfficer")
    Backbone = apps.get_model("communities", "Backbone")
    Backbone.objects.bulk_create([
        Backbone(team_id=o.team_id, user_id=o.user_id, office=o.office, term_start=o.since, term_end=o.until,
                 election_id=o.election_id, source="election" if o.election_id else "appointed")
        for o in TeamOfficer.objects.order_by("pk")])


def backbones_to_officers(apps, schema_editor):
    TeamOfficer = apps.get_model("landlords", "TeamOfficer")
    Backbone = apps.get_model("communities", "Backbone")
    TeamOfficer.objects.bulk_create([
        TeamOfficer(team_id=b.team_id, user_id=b.user_id, office=b.office, since=b.term_start, until=b.term_end,
                    election_id=b.election_id)
        for b in Backbone.objects.filter(team__kind="landlord_team",
                                         office__in=["president", "vice_president", "backbone"]).order_by("pk")])


class Migration(migrations.Migration):

    dependencies = [
        ("landlords", "0001_initial"),
        ("communities", "0012_team_members"),
    ]

    operations = [
        migrations.RunPython(officers_to_backbones, backbones_to_officers),
        migrations.DeleteModel(name="TeamOfficer"),
    ]
