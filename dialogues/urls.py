"""The citizen's «Din fastlege» and dialogues, and the clinic's inbox («klinikk/innboks/»)."""

from django.urls import path

from .views import citizen, staff

app_name = "dialogues"

urlpatterns = [
    # The citizen (request.person: themself, or whom they act for)
    path("fastlege/", citizen.panel, name="panel"),
    path("fastlege/<slug:kind>/", citizen.new, name="new"),
    path("innboks/samtale/<int:pk>/svar/", citizen.reply, name="reply"),
    path("innboks/vedlegg/<int:pk>/", citizen.attachment, name="attachment"),
    # The GP office's staff, for their own office only
    path("klinikk/innboks/", staff.inbox, name="staff_inbox"),
    path("klinikk/innboks/ny/", staff.new, name="staff_new"),
    path("klinikk/innboks/<int:pk>/", staff.thread, name="staff_thread"),
    path("klinikk/innboks/<int:pk>/svar/", staff.answer, name="staff_answer"),
    path("klinikk/innboks/<int:pk>/avslutt/", staff.close, name="staff_close"),
    path("klinikk/innboks/<int:pk>/konverter/", staff.convert, name="staff_convert"),
    path("klinikk/innboks/<int:pk>/sett-opp-time/", staff.book, name="staff_book"),
    path("klinikk/innboks/vedlegg/<int:pk>/", staff.attachment, name="staff_attachment"),
    path("klinikk/pasienter/<int:pk>/journal/", staff.journal, name="staff_journal"),
]
