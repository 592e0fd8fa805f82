from django.urls import path

from .api import SearchAPIView, SuggestAPIView

urlpatterns = [
    path("search/", SearchAPIView.as_view(), name="search-api"),
    path("search/suggest/", SuggestAPIView.as_view(), name="search-suggest-api"),
]
