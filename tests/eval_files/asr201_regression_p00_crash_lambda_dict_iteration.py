# flake8-args: --extend-select=ASR203
# Regression from a real-app review (fixed): flake8 aborts the whole run: RuntimeError: dictionary changed size during iteration
from fastapi import FastAPI

app = FastAPI()


class Value:
    def __init__(self, raw):
        self.raw = raw

    def _cast(self, fn):
        return fn(self.raw)

    def as_string(self):
        return self._cast(lambda x: str(x))

    def as_float(self):
        return self._cast(lambda x: float(x))


@app.get("/value")
async def read_value():  # error: ASR203:1 "GET /value" -- a callable parameter is not followed; no crash
    return {"s": Value("1.5").as_string()}
