"""Results, risk pages, board review and exports."""

from django.urls import path

from reports import views

urlpatterns = [
    path("p/<slug:partnership>/<str:period>/register/", views.register, name="register"),
    path(
        "p/<slug:partnership>/<str:period>/risks/<int:risk_id>/",
        views.risk_detail,
        name="risk_detail",
    ),
]
