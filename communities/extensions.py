"""Where the community apps (landlords, talents, propertyservice) plug into the core.

The core never imports an app; an app registers here from its ``AppConfig.ready``:
- a navigation provider: ``fn(user) -> list[NavItem]``, placed after the core's own entries;
- a demo seeder: the dotted path of ``fn() -> dict`` (``"landlords.demo.team.demo_team_seed"``), imported
  and run by ``seed_demo`` after the core demo, in the order registered (it must be idempotent). A path,
  not the function: demo code is loaded by ``seed_demo`` only, never by every web and worker process.
"""
from typing import Callable

NAV_PROVIDERS: list[Callable] = []
DEMO_SEEDERS: list[tuple[str, str]] = []  # (name, dotted path of the seeder)


def register_nav(provider: Callable) -> None:
    if provider not in NAV_PROVIDERS:
        NAV_PROVIDERS.append(provider)


def register_demo_seeder(name: str, seeder: str) -> None:
    if not isinstance(seeder, str):
        raise TypeError(f"demo seeder {name!r}: register its dotted path, not the function, so that only "
                        f"seed_demo imports demo code")
    if all(existing != name for existing, _ in DEMO_SEEDERS):
        DEMO_SEEDERS.append((name, seeder))
