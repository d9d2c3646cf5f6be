"""Routes of the tokens API."""

from fintrack.core.api.routing import IdRouter

from . import views

router = IdRouter()
router.register("tokens", views.PersonalAccessTokenViewSet, basename="personal-access-token")

urlpatterns = router.urls
