"""The records the admin lists but never lets anyone add, change or delete (test_admin), and that the demo
seed must fill (test_demo)."""
from communities.models import Backbone, CommunityNeed, CommunityTitle, DocumentVersion, Election, NeedEvent
from landlords.models import Announcement, Channel, MediationRecord, RentalDeclaration, TenantRegistration

READ_ONLY = [Backbone, DocumentVersion, RentalDeclaration, TenantRegistration, MediationRecord, Channel,
             Announcement, CommunityNeed, NeedEvent, Election, CommunityTitle]
