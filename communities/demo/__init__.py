"""The core's demo data, loaded by ``manage.py seed_demo`` only (development): ``seed.demo_seed`` and its parts.

Not business rules: nothing in ``services``, ``selectors``, views or tasks imports this package.
"""
