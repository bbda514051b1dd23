"""The video room of a video appointment: the page, the signals each side polls, and sending one."""

from django.urls import path

from . import views

app_name = "video"

urlpatterns = [
    path("video/<int:pk>/", views.video_room, name="room"),
    path("video/<int:pk>/signaler/", views.video_signals, name="signals"),
    path("video/<int:pk>/signaler/send/", views.video_signal_send_view, name="signal_send"),
]
