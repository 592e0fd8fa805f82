"""The project's URLs plus a stand-in for the services app (issue 16), for the home page's task tests."""

from django.http import HttpResponse
from django.urls import include, path

from gongkai.urls import handler400, handler403, handler404, handler500  # noqa: F401
from gongkai.urls import urlpatterns as project


def _page(request):
    return HttpResponse("办事指南")


guides = ([path("", _page, name="index"), path("events/", _page, name="events")], "guides")
urlpatterns = [path("guides/", include(guides)), *project]
