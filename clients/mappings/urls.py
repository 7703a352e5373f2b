from django.urls import path

from clients.mappings import views

urlpatterns = [
    path("imports/map/<str:token>/", views.mapping_editor, name="mapping_editor"),
    path("mappings/", views.mapping_list, name="mapping_list"),
    path("mappings/<int:pk>/copy/", views.mapping_copy_view, name="mapping_copy"),
    path("mappings/<int:pk>/remove/", views.mapping_remove, name="mapping_remove"),
]
