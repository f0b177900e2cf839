"""Public pages of this package (no account needed)."""

urlpatterns = []
