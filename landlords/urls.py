app_name = "landlords"

urlpatterns: list = []
