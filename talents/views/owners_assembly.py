"""The owners' hub's assembly area (issue 15): its pages. Patterns at the foot, joined in ``talents/urls.py``."""

urlpatterns: list = []
