"""The citizen's own pages: the test login, acting for someone else, and «Kontaktinformasjon og varseloppsett»."""

from django.urls import path

from core.ratelimit import login_limited

from . import views

app_name = "citizens"

urlpatterns = [
    path("innlogging/", login_limited(views.login_view), name="login"),
    path("bytt-person/", views.switch_person, name="switch_person"),
    path("innstillinger/", views.contact_settings, name="settings"),
    path("innstillinger/samtykke/", views.consent, name="consent"),
]
