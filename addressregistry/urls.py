from django.urls import path

from . import views

app_name = "addressregistry"

urlpatterns = [
    path("", views.search, name="search"),
    path("virksomheter/<str:her_id>/", views.organisation_detail, name="organisation"),
    path("tjenester/<str:her_id>/", views.service_detail, name="service"),
    path("tjenester/<str:her_id>/prosesser/", views.service_process_toggle, name="service_process_toggle"),
    path("api/communication-parties/<str:her_id>", views.communication_party, name="api_communication_party"),
]
