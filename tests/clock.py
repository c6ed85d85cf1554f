"""A stand-in for ``time.time()`` that moves only when a test says so."""


class Clock:
    def __init__(self, now: float = 1_800_000_000.0):  # the start of an hour (UTC)
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
