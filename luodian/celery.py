import os

from celery import Celery

from . import kombu_fs  # noqa: F401  registers the "luodianfs://" broker alias

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luodian.settings")

app = Celery("luodian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
