"""One row per numbered series: the last number handed out."""

from django.db import models


class Counter(models.Model):
    series = models.CharField(max_length=64, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["series"]

    def __str__(self) -> str:
        return f"{self.series}: {self.last_value}"
