app_name = "frameworks-api"

urlpatterns: list = []
