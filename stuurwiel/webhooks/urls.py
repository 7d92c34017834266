from django.urls import path

from stuurwiel.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.EndpointListView.as_view(), name="endpoint_list"),
    path("add/", views.EndpointEditView.as_view(), name="endpoint_add"),
    path("<int:pk>/", views.EndpointDetailView.as_view(), name="endpoint_detail"),
    path("<int:pk>/edit/", views.EndpointEditView.as_view(), name="endpoint_edit"),
    path("<int:pk>/rotate/", views.EndpointRotateView.as_view(), name="endpoint_rotate"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery_list"),
    path("deliveries/<int:pk>/", views.DeliveryDetailView.as_view(), name="delivery_detail"),
    path("deliveries/<int:pk>/retry/", views.DeliveryRetryView.as_view(), name="delivery_retry"),
]
