from django.urls import path

from citizens import views as citizen_views
from core.ratelimit import booking_limited, login_limited, time_request_limited
from inbox import views as inbox_views

from .views import appointments, calendar, flow, gp, received, review

app_name = "booking"

urlpatterns = [
    path("", appointments.home, name="home"),
    path("varsler/", appointments.alerts, name="alerts"),
    path("innlogging/", login_limited(citizen_views.login_view), name="login"),
    path("bytt-person/", citizen_views.switch_person, name="switch_person"),
    path("timeavtaler/", appointments.appointments, name="appointments"),
    path("timeavtaler/<int:pk>/", appointments.appointment_detail, name="appointment"),
    path("timeavtaler/<int:pk>/avbestill/", appointments.appointment_cancel_view, name="cancel"),
    path("timeavtaler/<int:pk>/kalender.ics", appointments.appointment_ics, name="ics"),
    path("bestill/", flow.choose_contact, name="choose_contact"),
    path("bestill/annen-kommune/", flow.other_municipality, name="other_municipality"),
    path("bestill/sendt/<int:pk>/", review.sent, name="sent"),
    path("bestill/<int:her_id>/", flow.choose_timebook, name="choose_timebook"),
    path("bestill/<int:her_id>/behandler/", gp.practitioner, name="practitioner"),
    path("bestill/<int:her_id>/timeforesporsel/", time_request_limited(flow.time_request), name="time_request"),
    path("bestill/<int:her_id>/<int:timebook_id>/sted/", flow.choose_place, name="place"),
    path("bestill/<int:her_id>/<int:timebook_id>/tid/", calendar.choose_time, name="time"),
    path(
        "bestill/<int:her_id>/<int:timebook_id>/se-gjennom/<int:slot_id>/",
        booking_limited(review.review),
        name="review",
    ),
    path(
        "bestill/<int:her_id>/<int:timebook_id>/se-gjennom/<int:slot_id>/slipp/",
        review.release,
        name="review_release",
    ),
    path("telefon/", received.phone, name="phone"),
    path("app/", received.app_feed, name="app_feed"),
    path("innstillinger/", citizen_views.contact_settings, name="settings"),
    path("innboks/", inbox_views.inbox, name="inbox"),
    path("innboks/<int:pk>/", inbox_views.message_detail, name="message"),
]

# The video room of a video appointment (issue 13)
from .views import video  # noqa: E402

urlpatterns += [
    path("video/<int:pk>/", video.video_room, name="video_room"),
    path("video/<int:pk>/signaler/", video.video_signals, name="video_signals"),
    path("video/<int:pk>/signaler/send/", video.video_signal_send_view, name="video_signal_send"),
]

# The waiting room of a timebook's booking steps, and the place its page polls (issue 15); and the portal's
# front door, whose two pages the door's middleware answers itself, before the session is read.
from .door import DOOR_PAGE, DOOR_PLACE, door_page, door_place  # noqa: E402
from .views.waiting_room import waiting_room_page, waiting_room_place  # noqa: E402

urlpatterns += [
    path("bestill/<int:her_id>/<int:timebook_id>/ko/", waiting_room_page, name="waiting_room"),
    path("bestill/<int:her_id>/<int:timebook_id>/ko/plass/", waiting_room_place, name="waiting_room_place"),
    path(DOOR_PAGE.strip("/") + "/", door_page, name="door"),
    path(DOOR_PLACE.strip("/") + "/", door_place, name="door_place"),
]
