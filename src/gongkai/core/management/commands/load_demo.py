from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from gongkai.core import demo


class Command(BaseCommand):
    help = "加载演示数据（松阳县：10个乡镇街道、25个部门、学校医院等、各角色工作人员）。可重复执行。"

    def handle(self, *args, **options):
        with transaction.atomic():
            ctx = demo.load()
            # Capability apps add their own demo content through AppConfig.load_demo(ctx).
            # ``demo_after_others``: apps that summarise the others' records (the annual reports) go last.
            configs = sorted(apps.get_app_configs(), key=lambda c: getattr(c, "demo_after_others", False))
            for config in configs:
                loader = getattr(config, "load_demo", None)
                if loader:
                    loader(ctx)
                    self.stdout.write(f"  {config.verbose_name}: 演示数据已加载")
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：{ctx['county'].name}，{len(ctx['units'])} 个单位"))
        self.stdout.write(f"管理员账号 admin / {demo.DEMO_PASSWORD}；其他账号（如 gkb、mz_editor）密码相同")
