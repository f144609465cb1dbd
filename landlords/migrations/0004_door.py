"""The door (issue 11 item 6): 蓉庭 serves the communities it used to be guessed from, and its cases know
where they came from.

- ``CommunityApp``: every community with a 二房东自治团队 (the old guess from team kinds) is served by landlords;
  from now on staff set the rows in the admin.
- ``CaseOrigin`` of a case turned in from the mediation room: its record names it (``MediationRecord.case``).
- ``CaseOrigin`` of a case opened from an over-capacity flag: no row named it, but the flag's case is knowable:
  a 房屋隔断 case about a unit, filed on patrol by committee staff in their own name, whose description is the
  flag's text (in Chinese or English, the two languages it can have been filed in). A case that does not match
  all of these gets no origin rather than a wrong one.
"""
from django.db import migrations
from django.db.models import F

LANDLORD_TEAM = "landlord_team"
PARTITION_CATEGORY = "partitioned_flat"
FLAG_TEXT_STARTS = ("在住租客 ", )
FLAG_TEXT_CONTAINS_EN = "exceeding the approved occupancy"


def forwards(apps, schema_editor):
    Team = apps.get_model("communities", "Team")
    CommunityApp = apps.get_model("communities", "CommunityApp")
    Case = apps.get_model("communities", "Case")
    CaseOrigin = apps.get_model("communities", "CaseOrigin")
    MediationRecord = apps.get_model("landlords", "MediationRecord")

    served = set(CommunityApp.objects.filter(app_label="landlords").values_list("community_id", flat=True))
    teams = set(Team.objects.filter(kind=LANDLORD_TEAM).values_list("community_id", flat=True))
    CommunityApp.objects.bulk_create([CommunityApp(community_id=cid, app_label="landlords")
                                      for cid in sorted(teams - served)])

    known = set(CaseOrigin.objects.values_list("case_id", flat=True))
    origins = []
    for pk, case_id, created_at in (MediationRecord.objects.filter(case__isnull=False)
                                    .values_list("pk", "case_id", "case__created_at")):
        if case_id not in known:
            known.add(case_id)
            origins.append(CaseOrigin(case_id=case_id, app_label="landlords", kind="landlords.mediation_record",
                                      object_id=pk, created_at=created_at))
    flagged = Case.objects.filter(category__code=PARTITION_CATEGORY, channel="patrol", unit__isnull=False,
                                  reporter_id=F("filed_by_id"))
    for pk, unit_id, created_at, description in flagged.values_list("pk", "unit_id", "created_at", "description"):
        if pk in known:
            continue
        if description.startswith(FLAG_TEXT_STARTS) or FLAG_TEXT_CONTAINS_EN in description:
            known.add(pk)
            origins.append(CaseOrigin(case_id=pk, app_label="landlords", kind="landlords.rental_flag",
                                      object_id=unit_id, created_at=created_at))
    CaseOrigin.objects.bulk_create(origins)


def backwards(apps, schema_editor):
    CaseOrigin = apps.get_model("communities", "CaseOrigin")
    CaseOrigin.objects.filter(app_label="landlords").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("landlords", "0003_needs_documents_to_core"),
        ("communities", "0014_door"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
