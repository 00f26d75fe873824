from django.urls import path

from pages import feeds, views

app_name = "pages"

urlpatterns = [
    path("info/", views.info_index, name="info"),
    path("info/<path:path>/", views.page_detail, name="page"),
    path("news/", views.news_list, name="news_list"),
    path("news/rss/", feeds.NewsFeed(), name="news_rss"),
    path("news/atom/", feeds.NewsAtomFeed(), name="news_atom"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("news/<slug:slug>/image/", views.news_image, name="news_image"),
    path("faq/", views.faq, name="faq"),
    path("offices/", views.offices, name="offices"),
    path("documents/", views.documents, name="documents"),
    path("documents/<id:pk>/download/", views.document_download, name="document_download"),
    path("tariffs/", views.tariffs, name="tariffs"),
    path("tariffs/<id:pk>/", views.tariff_period, name="tariff_period"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/status/", views.appeal_status, name="appeal_status"),
    path("search/", views.site_search, name="search"),
]
