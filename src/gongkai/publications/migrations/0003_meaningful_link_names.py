"""Attachments imported as links were named after the old site's download script
(``downfile.jsp``); name them from the link (the file name in its query string) or the title."""

from django.db import migrations


def rename(apps, schema_editor):
    from gongkai.publications.links import is_script_name, link_label

    Attachment = apps.get_model("publications", "Attachment")
    qs = Attachment.objects.exclude(external_url="").filter(file="").select_related("publication")
    for attachment in qs.iterator():
        if is_script_name(attachment.name):
            label = link_label(attachment.external_url, title=attachment.publication.title, n=attachment.sort_order + 1)
            if label != attachment.name:
                Attachment.objects.filter(pk=attachment.pk).update(name=label[:255])


class Migration(migrations.Migration):
    dependencies = [("publications", "0002_catalogue_link")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
