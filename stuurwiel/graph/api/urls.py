app_name = "graph-api"

urlpatterns: list = []
