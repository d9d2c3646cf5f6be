"""Routes of the recurring API."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("recurring", views.RecurringRuleViewSet, basename="recurring")

urlpatterns = [
    # Before the router's routes, where "upcoming" would read as a rule's id.
    path("recurring/upcoming/", views.UpcomingView.as_view(), name="recurring-upcoming"),
    *router.urls,
]
