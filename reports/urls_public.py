"""The close board at the console (included by agency.urls_public)."""

from django.urls import path

from reports import views_board

urlpatterns = [
    path("board/", views_board.board, name="close_board"),
    path("board/approve/", views_board.board_approve, name="close_board_approve"),
]
