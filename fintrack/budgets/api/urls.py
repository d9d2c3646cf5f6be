"""Routes of the budgets API."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("budgets", views.BudgetViewSet, basename="budget")

urlpatterns = router.urls
