from django.urls import path

from stuurwiel.calls.views import call, portal, work

app_name = "calls"

urlpatterns = [
    # --- front door ---
    path("report/", portal.ReportView.as_view(), name="call_report"),
    path("intake/", portal.IntakeView.as_view(), name="call_intake"),
    path("mine/", portal.MyCallsView.as_view(), name="my_calls"),
    # --- work ---
    path("work/", work.WorklistView.as_view(), name="worklist"),
    # --- the call page and its writes ---
    path("<int:pk>/", call.CallDetailView.as_view(), name="call_detail"),
    path("<int:pk>/transition/", call.CallTransitionView.as_view(), name="call_transition"),
    path("<int:pk>/assign/", call.CallAssignView.as_view(), name="call_assign"),
    path("<int:pk>/coordinate/", call.CallCoordinateView.as_view(), name="call_coordinate"),
    path("<int:pk>/hand-over/", call.CallHandOverView.as_view(), name="call_hand_over"),
    path("<int:pk>/hand-back/", call.CallHandBackView.as_view(), name="call_hand_back"),
    path("<int:pk>/escalate/", call.CallEscalateView.as_view(), name="call_escalate"),
    path("<int:pk>/comment/", call.CallCommentView.as_view(), name="call_comment"),
    path("<int:pk>/attachments/", call.CallAttachmentAddView.as_view(), name="call_attach"),
    path(
        "<int:pk>/attachments/<str:token>/",
        call.CallAttachmentDownloadView.as_view(),
        name="call_attachment",
    ),
    path("<int:pk>/link/", call.CallRelationAddView.as_view(), name="call_link"),
]
