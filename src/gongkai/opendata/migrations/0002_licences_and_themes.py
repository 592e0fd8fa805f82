"""Licences a dataset may carry (CKAN license_list) and the default themes (CKAN groups)."""

from django.db import migrations

LICENCES = [
    ("cc-by-4.0", "知识共享署名 4.0 国际（CC BY 4.0）", "https://creativecommons.org/licenses/by/4.0/", True),
    ("cc-zero", "知识共享 CC0 1.0 公共领域贡献", "https://creativecommons.org/publicdomain/zero/1.0/", True),
    ("odc-by", "开放数据共享署名许可（ODC-By）", "https://opendatacommons.org/licenses/by/1-0/", True),
    ("odc-odbl", "开放数据库许可（ODbL）", "https://opendatacommons.org/licenses/odbl/1-0/", True),
    ("gov-open", "政府数据开放许可（署名、不得歪曲）", "", True),
    ("gov-conditional", "有条件开放数据使用协议", "", False),
    ("notspecified", "未指定", "", False),
]

THEMES = [
    ("economy", "经济建设", "产业、企业、投资、商贸"),
    ("environment", "资源环境", "生态环境、自然资源、气象、水利"),
    ("livelihood", "民生服务", "教育、卫生健康、社会保障、民政"),
    ("urban", "城市建设", "住房、交通、市政设施"),
    ("agriculture", "农业农村", "农业生产、乡村振兴"),
    ("governance", "政府治理", "财政、统计、政务服务、信用"),
]


def seed(apps, schema_editor):
    DataLicence = apps.get_model("opendata", "DataLicence")
    Theme = apps.get_model("opendata", "Theme")
    for i, (pk, title, url, is_open) in enumerate(LICENCES):
        DataLicence.objects.get_or_create(id=pk, defaults={"title": title, "url": url, "is_open": is_open, "sort_order": i})
    for i, (name, title, description) in enumerate(THEMES):
        Theme.objects.get_or_create(name=name, defaults={"title": title, "description": description, "sort_order": i})


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
