app_name = "matrix"

urlpatterns = []
