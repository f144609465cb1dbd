"""The records the admin lists but never lets anyone add, change or delete (test_admin), and that the demo
seed must fill (test_demo)."""
from communities.models import CommunityTitle, Election
from landlords.models import (
    Announcement, Channel, CommunityNeed, DocumentVersion, MediationRecord, NeedEvent, RentalDeclaration, TeamOfficer,
    TenantRegistration,
)

READ_ONLY = [TeamOfficer, DocumentVersion, RentalDeclaration, TenantRegistration, MediationRecord, Channel,
             Announcement, CommunityNeed, NeedEvent, Election, CommunityTitle]
