"""URLs of services by appointment (预约服务) and governance squads (治理小分队), joined into talents.urls."""
from django.urls import path

from .views import services, squads

urlpatterns = [
    path("services/<int:pk>/", services.service_detail, name="service_detail"),
    path("services/slots/<int:pk>/book/", services.slot_book, name="slot_book"),
    path("studios/<slug:slug>/services/", services.studio_services_manage, name="studio_services_manage"),
    path("services/bookings/<int:pk>/confirm/", services.booking_confirm, name="booking_confirm"),
    path("services/bookings/<int:pk>/outcome/", services.booking_outcome, name="booking_outcome"),
    path("services/bookings/<int:pk>/cancel/", services.booking_cancel, name="booking_cancel"),
    path("my/appointments/", services.my_appointments, name="my_appointments"),
    path("squads/", squads.squad_list, name="squad_list"),
    path("squads/propose/", squads.squad_propose, name="squad_propose"),
    path("squads/proposals/<int:pk>/approve/", squads.proposal_approve, name="squad_proposal_approve"),
    path("squads/proposals/<int:pk>/decline/", squads.proposal_decline, name="squad_proposal_decline"),
    path("squads/<int:team_id>/", squads.squad_detail, name="squad_detail"),
    path("squads/<int:team_id>/tasks/new/", squads.squad_task_new, name="squad_task_new"),
    path("squads/tasks/<int:pk>/complete/", squads.squad_task_complete, name="squad_task_complete"),
    path("squads/hours/<int:pk>/confirm/", squads.squad_hours_confirm, name="squad_hours_confirm"),
]
