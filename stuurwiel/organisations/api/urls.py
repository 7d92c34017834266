app_name = "organisations-api"

urlpatterns: list = []
