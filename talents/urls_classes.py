"""The classes area's pages (joined into ``talents.urls``)."""
from django.urls import path

from .views import classes as v

urlpatterns = [
    path("classes/", v.class_list, name="class_list"),
    path("classes/<int:pk>/", v.class_detail, name="class_detail"),
    path("classes/<int:pk>/enrol/", v.class_enrol, name="class_enrol"),
    path("classes/<int:pk>/poster/", v.class_poster, name="class_poster"),
    path("classes/<int:pk>/edit/", v.class_edit, name="class_edit"),
    path("classes/<int:pk>/waitlist/", v.class_waitlist, name="class_waitlist"),
    path("classes/<int:pk>/lottery/", v.class_lottery, name="class_lottery"),
    path("classes/<int:pk>/feature/", v.class_feature, name="class_feature"),
    path("classes/<int:pk>/photo-consent/", v.photo_consent, name="photo_consent"),
    path("studios/<slug:slug>/classes/new/", v.class_new, name="class_new"),
    path("entries/<int:pk>/", v.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/leave/", v.entry_leave, name="entry_leave"),
    path("entries/<int:pk>/accept/", v.entry_accept, name="entry_accept"),
    path("entries/<int:pk>/decline/", v.entry_decline, name="entry_decline"),
    path("entries/<int:pk>/move/", v.entry_staff_move, name="entry_staff_move"),
    path("sessions/<int:pk>/cancel/", v.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/move/", v.session_move, name="session_move"),
    path("sessions/<int:pk>/attendance/", v.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/attendance/mark/", v.attendance_mark, name="attendance_mark"),
    path("sessions/<int:pk>/attendance/close/", v.attendance_close, name="attendance_close"),
    path("my/", v.my_classes, name="my_classes"),
    path("my/children/", v.my_children, name="my_children"),
]
