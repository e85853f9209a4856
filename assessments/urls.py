"""Assessment URLs."""

from django.urls import path

from assessments import views

urlpatterns = [
    path("", views.home, name="home"),
    path("p/<slug:partnership>/<str:period>/", views.assessment_detail, name="assessment"),
]
