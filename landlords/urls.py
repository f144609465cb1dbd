from django.urls import path

from .views import documents

app_name = "landlords"

# Each area adds its pages in its own block.
urlpatterns: list = []

# --- documents: the charter and the tenant covenant ---
urlpatterns += [
    path("<slug:slug>/documents/<slug:kind>/", documents.document_current, name="document_current"),
    path("<slug:slug>/documents/<slug:kind>/draft/", documents.document_draft, name="document_draft"),
    path("<slug:slug>/documents/<slug:kind>/acknowledge/", documents.document_acknowledge,
         name="document_acknowledge"),
    path("documents/versions/<int:pk>/", documents.document_version, name="document_version"),
    path("documents/versions/<int:pk>/adopt/", documents.document_adopt, name="document_adopt"),
    path("documents/versions/<int:pk>/withdraw/", documents.document_withdraw, name="document_withdraw"),
    path("<slug:slug>/covenant/paper/", documents.covenant_paper, name="covenant_paper"),
    path("<slug:slug>/covenant/report/", documents.covenant_report, name="covenant_report"),
    path("covenant/report/buildings/<int:pk>/", documents.covenant_report_building,
         name="covenant_report_building"),
    path("<slug:slug>/charter/report/", documents.charter_report, name="charter_report"),
]
