"""The lottery's draw, written once so that the service that draws and the staff page that checks it compute
the same order: the entries made before the opening time, ordered by id, shuffled by ``random.Random(seed)``.
Anyone holding the seed and the entry ids can redo it."""
import random
import secrets


def new_seed() -> int:
    """A fresh seed that fits a signed 64-bit column."""
    return secrets.randbits(63)


def lottery_order(entry_ids, seed: int) -> list[int]:
    order = sorted(entry_ids)
    random.Random(seed).shuffle(order)
    return order
