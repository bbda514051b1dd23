from django.urls import path

from core.ratelimit import booking_limited, time_request_limited

from .views import appointments, calendar, flow, gp, received, review, staff, waiting_room

app_name = "booking"

urlpatterns = [
    path("", appointments.home, name="home"),
    path("varsler/", appointments.alerts, name="alerts"),
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
    # The clinic's grid: a timebook's day and week, putting a patient on a time, moving it (issue 22).
    path("klinikk/timebok/<int:timebook_id>/", staff.timebook_grid, name="staff_timebook"),
    path("klinikk/timebok/<int:timebook_id>/sett-opp/<int:slot_id>/", staff.book, name="staff_book"),
    path("klinikk/timer/<int:pk>/flytt/", staff.move, name="staff_move"),
    path("telefon/", received.phone, name="phone"),
    path("app/", received.app_feed, name="app_feed"),
    # The waiting room of a timebook's booking steps, and the place its page polls (issue 15).
    path("bestill/<int:her_id>/<int:timebook_id>/ko/", waiting_room.waiting_room_page, name="waiting_room"),
    path(
        "bestill/<int:her_id>/<int:timebook_id>/ko/plass/", waiting_room.waiting_room_place, name="waiting_room_place"
    ),
]
