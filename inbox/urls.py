"""Innboks: the list of a person's messages and one message."""

from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("innboks/", views.inbox, name="inbox"),
    path("innboks/<int:pk>/", views.message_detail, name="message"),
    path("innboks/<int:pk>/xml/", views.message_xml, name="message_xml"),
    path("innboks/<int:pk>/skjul/", views.message_hide, name="message_hide"),
]
