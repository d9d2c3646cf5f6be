"""Routes of the analytics API."""

from django.urls import path

from . import views

urlpatterns = [
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("summary/trends/", views.TrendsView.as_view(), name="summary-trends"),
]
