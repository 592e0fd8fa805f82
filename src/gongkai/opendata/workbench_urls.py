app_name = "opendata_wb"
urlpatterns = []
