"""Routes of the imports and export API."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("imports", views.ImportViewSet, basename="import")

urlpatterns = [
    *router.urls,
    path("export/", views.ExportView.as_view(), name="export"),
]
