import sqlite3

from .interface import DBInterface


class SQLDB(DBInterface):
    def __init__(self):
        self.conn = sqlite3.connect("shop.db", check_same_thread=False)

    def get_item(self, item_id):
        return self.conn.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()

    def ping(self):
        return True
