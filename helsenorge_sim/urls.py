from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.health import healthz, ping

admin.site.site_header = "Helsenorge-simulator: klinikkens administrasjon"
admin.site.site_title = "Klinikkadmin"
admin.site.index_title = "Timebøker, timer og forespørsler"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "ansatt/logg-inn/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="staff_login",
    ),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("ar/", include("addressregistry.urls")),
    path("", include("booking.urls")),
]
