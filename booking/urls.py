from django.urls import path

from . import views
from .ratelimit import booking_limited, login_limited, time_request_limited

app_name = "booking"

urlpatterns = [
    path("", views.home, name="home"),
    path("varsler/", views.alerts, name="alerts"),
    path("innlogging/", login_limited(views.login_view), name="login"),
    path("bytt-person/", views.switch_person, name="switch_person"),
    path("timeavtaler/", views.appointments, name="appointments"),
    path("timeavtaler/<int:pk>/", views.appointment_detail, name="appointment"),
    path("timeavtaler/<int:pk>/avbestill/", views.appointment_cancel_view, name="cancel"),
    path("timeavtaler/<int:pk>/kalender.ics", views.appointment_ics, name="ics"),
    path("bestill/", views.choose_contact, name="choose_contact"),
    path("bestill/annen-kommune/", views.other_municipality, name="other_municipality"),
    path("bestill/sendt/<int:pk>/", views.sent, name="sent"),
    path("bestill/<int:her_id>/", views.choose_timebook, name="choose_timebook"),
    path("bestill/<int:her_id>/behandler/", views.practitioner, name="practitioner"),
    path("bestill/<int:her_id>/timeforesporsel/", time_request_limited(views.time_request), name="time_request"),
    path("bestill/<int:her_id>/<int:timebook_id>/sted/", views.choose_place, name="place"),
    path("bestill/<int:her_id>/<int:timebook_id>/tid/", views.choose_time, name="time"),
    path(
        "bestill/<int:her_id>/<int:timebook_id>/se-gjennom/<int:slot_id>/",
        booking_limited(views.review),
        name="review",
    ),
    path("telefon/", views.phone, name="phone"),
    path("app/", views.app_feed, name="app_feed"),
    path("innstillinger/", views.contact_settings, name="settings"),
    path("innboks/", views.inbox, name="inbox"),
    path("innboks/<int:pk>/", views.message_detail, name="message"),
]
