import time


def warm_cache(keys: list) -> int:
    for _ in keys:
        time.sleep(0.01)
    return len(keys)
