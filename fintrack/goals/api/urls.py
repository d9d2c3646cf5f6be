"""Routes of the goals API."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("goals", views.GoalViewSet, basename="goal")

contributions = views.ContributionViewSet
urlpatterns = [
    *router.urls,
    path(
        "goals/<int:goal_pk>/contributions/",
        contributions.as_view({"get": "list", "post": "create"}),
        name="goal-contribution-list",
    ),
    path(
        "goals/<int:goal_pk>/contributions/<int:pk>/",
        contributions.as_view({"get": "retrieve", "delete": "destroy"}),
        name="goal-contribution-detail",
    ),
]
