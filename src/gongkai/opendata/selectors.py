from gongkai.core import permissions

from .models import Dataset


def staff_datasets(user):
    return permissions.scope(Dataset.objects.all(), user)
