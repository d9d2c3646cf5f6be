"""Routes of the ledger API."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("incomes", views.IncomeViewSet, basename="income")
router.register("expenses", views.ExpenseViewSet, basename="expense")
router.register("categories", views.CategoryViewSet, basename="category")

urlpatterns = router.urls
