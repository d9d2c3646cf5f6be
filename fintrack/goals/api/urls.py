"""Routes of the goals API."""

from django.urls import path

from fintrack.core.api.routing import IdRouter

from . import views

router = IdRouter()
router.register("goals", views.GoalViewSet, basename="goal")

contributions = views.ContributionViewSet
urlpatterns = [
    *router.urls,
    path(
        "goals/<id:goal_pk>/contributions/",
        contributions.as_view({"get": "list", "post": "create"}),
        name="goal-contribution-list",
    ),
    path(
        "goals/<id:goal_pk>/contributions/<id:pk>/",
        contributions.as_view({"get": "retrieve", "delete": "destroy"}),
        name="goal-contribution-detail",
    ),
]
