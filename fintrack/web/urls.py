"""Routes of the dashboard: `/app/` serves it (`/` leads there: settings.HOME_URL)."""

from django.urls import path

from .views import app_page

urlpatterns = [
    path("app/", app_page, name="web-app"),
]
