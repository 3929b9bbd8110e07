"""A sync transport whose first send waits for its subscribers."""
import time


class Transport:
    def send(self, item) -> None:
        time.sleep(0.1)
        print(item)
