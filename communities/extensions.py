"""Where the community apps (landlords, talents, propertyservice) plug into the core.

The core never imports an app; an app registers here from its ``AppConfig.ready``:
- a navigation provider: ``fn(user) -> list[NavItem]``, placed after the core's own entries;
- a demo seeder: ``fn() -> dict`` run by ``seed_demo`` after the core demo (it must be idempotent).
"""
from typing import Callable

NAV_PROVIDERS: list[Callable] = []
DEMO_SEEDERS: list[tuple[str, Callable[[], dict]]] = []


def register_nav(provider: Callable) -> None:
    if provider not in NAV_PROVIDERS:
        NAV_PROVIDERS.append(provider)


def register_demo_seeder(name: str, seeder: Callable[[], dict]) -> None:
    if all(existing != name for existing, _ in DEMO_SEEDERS):
        DEMO_SEEDERS.append((name, seeder))
