"""The portal's door: «Du er i kø» and the place its page polls. The door's middleware answers both itself,
before the session is read; these routes name them (and answer a request that reaches the views)."""

from django.urls import path

from .door import DOOR_PAGE, DOOR_PLACE, door_page, door_place

app_name = "queueing"

urlpatterns = [
    path(DOOR_PAGE.strip("/") + "/", door_page, name="door"),
    path(DOOR_PLACE.strip("/") + "/", door_place, name="door_place"),
]
