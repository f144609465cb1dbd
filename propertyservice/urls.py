app_name = "propertyservice"

urlpatterns: list = []
