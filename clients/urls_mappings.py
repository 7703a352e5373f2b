from django.urls import path

from clients import views_mappings

urlpatterns = [
    path("imports/map/<str:token>/", views_mappings.mapping_editor, name="mapping_editor"),
    path("mappings/", views_mappings.mapping_list, name="mapping_list"),
    path("mappings/<int:pk>/copy/", views_mappings.mapping_copy_view, name="mapping_copy"),
    path("mappings/<int:pk>/remove/", views_mappings.mapping_remove, name="mapping_remove"),
]
