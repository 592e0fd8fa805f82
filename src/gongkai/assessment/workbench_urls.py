app_name = "assessment_wb"
urlpatterns = []
