"""光明村's records in the admin, read-only: every change goes through the station's pages and services, which lock,
check the policy (a head, a guard on his own shift, a villager for his own household) and write the audit trail or
the timeline. Callers' phones and photos are not listed: they are seen on the app's pages, where each reveal of a
phone is logged."""
from django.contrib import admin

from communities.admin import ReadOnlyAdmin

from .models import (
    Camera, Certificate, ChargingShed, FeeStandard, FlyingWireReport, GarbageHandover, GateEntry, HotlineCall,
    Incident, ParkingCharge, ParkingSpace, PatrolRoute, PatrolRun, Recruit, StaffPost, StationPost, Suggestion,
)


def _register(model, columns, filters=(), related=()):
    attrs = {"list_display": list(columns), "list_filter": list(filters), "list_select_related": list(related)}
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"__module__": __name__, **attrs}))


_register(StationPost, ["name", "kind", "community", "certificate_kind", "security"], ["kind", "community"],
          ["community"])
_register(StaffPost, ["post", "person", "since", "until"], ["post__kind"], ["post", "person"])
_register(Certificate, ["person", "kind", "number", "issued_on", "expires_on"], ["kind"], ["person"])
_register(Recruit, ["person", "post", "status", "created_at"], ["status"], ["person", "post"])
_register(PatrolRoute, ["name", "rota", "expected_minutes", "active"], ["active"], ["rota"])
_register(PatrolRun, ["route", "shift", "closed_at", "missed", "late", "flagged"], ["flagged"],
          ["route", "shift"])
_register(GarbageHandover, ["shift", "handed_at", "on_time"], ["on_time"], ["shift"])
_register(Incident, ["kind", "status", "drill", "how", "place", "detected_at", "closed_at"],
          ["status", "kind", "drill"])
_register(HotlineCall, ["received_at", "category", "outcome", "answered_at"], ["outcome", "category"])
_register(GateEntry, ["kind", "plate", "vehicle_class", "entered_at", "exited_at"], ["kind", "vehicle_class"])
_register(ParkingCharge, ["number", "amount", "method", "paid_at"], ["method"])
_register(FeeStandard, ["community", "version", "effective_from"], [], ["community"])
_register(ParkingSpace, ["village_group", "number", "kind"], ["kind"], ["village_group"])
_register(Camera, ["place", "maintainer", "last_checked_on"])
_register(ChargingShed, ["name", "village_group", "state"], ["state"], ["village_group"])
_register(FlyingWireReport, ["reported_at", "place_text", "repeat_number", "case"], [], ["case"])
_register(Suggestion, ["created_at", "anonymous", "answered_at"], ["anonymous"])
