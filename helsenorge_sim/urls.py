from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.health import healthz, ping
from core.limits import LOGIN_FREE_TRIES_PER_USERNAME, STAFF_IDLE_SECONDS

from .portal_pages import search
from .staff_home import staff_home
from .staff_login import staff_login_limited

admin.site.site_header = "Helsenorge-simulator: klinikkens administrasjon"
admin.site.site_title = "Klinikkadmin"
admin.site.index_title = "Timebøker, timer og forespørsler"
# The admin's own login takes the same limits as the staff login. Set before ``admin.site.urls`` below
# builds the URL patterns, which take the view from the site.
admin.site.login = staff_login_limited(admin.site.login)  # type: ignore[method-assign, assignment]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "ansatt/logg-inn/",
        staff_login_limited(
            auth_views.LoginView.as_view(
                template_name="registration/login.html",
                extra_context={
                    "free_tries": LOGIN_FREE_TRIES_PER_USERNAME,
                    "idle_minutes": STAFF_IDLE_SECONDS // 60,
                },
            )
        ),
        name="staff_login",
    ),
    path("klinikk/", staff_home, name="staff_home"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sok/", search, name="search"),
    path("admin/", admin.site.urls),
    path("ar/", include("addressregistry.urls")),
    path("", include("citizens.urls")),
    path("", include("inbox.urls")),
    path("", include("queueing.urls")),
    path("", include("dialogues.urls")),
    path("", include("video.urls")),
    path("", include("booking.urls")),
]
