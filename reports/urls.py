"""Results, risk pages, board review and exports."""

urlpatterns: list = []
