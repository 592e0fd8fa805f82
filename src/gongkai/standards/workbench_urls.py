app_name = "standards_wb"
urlpatterns = []
