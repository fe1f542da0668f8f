from django.db import models


class Counter(models.Model):
    """A named integer: the race tests increment it, the retry test counts attempts with it."""

    name = models.CharField(max_length=50, unique=True)
    value = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
