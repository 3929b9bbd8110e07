from abc import ABC, abstractmethod


class DBInterface(ABC):
    @abstractmethod
    def get_item(self, item_id):
        raise NotImplementedError

    @abstractmethod
    def ping(self):
        ...
