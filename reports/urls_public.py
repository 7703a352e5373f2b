"""The close board at the console (included by agency.urls_public)."""

from django.urls import path

from reports import views_board

urlpatterns = [
    path("board/", views_board.board, name="close_board"),
    path("board/approve/", views_board.board_approve, name="close_board_approve"),
    path("board/checks/", views_board.board_checks, name="close_board_checks"),
    path("board/approvals/<int:bulk_id>/", views_board.board_approval, name="close_board_approval"),
]
