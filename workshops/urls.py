"""Workshop URLs."""

urlpatterns: list = []
