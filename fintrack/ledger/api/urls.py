"""Routes of the ledger API."""

from fintrack.core.api.routing import IdRouter

from . import views

router = IdRouter()
router.register("incomes", views.IncomeViewSet, basename="income")
router.register("expenses", views.ExpenseViewSet, basename="expense")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("tags", views.TagViewSet, basename="tag")

urlpatterns = router.urls
