"""Benchmarks' data generators and their scratch databases, used by ``manage.py bench_town`` and ``bench_rotas``.

Not business rules: nothing in ``services``, ``selectors``, views or tasks imports this package.
"""
