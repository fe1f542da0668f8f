"""One test written twice: as a Django TestCase and as its pytest twin (docs/debugging.md).

Both prove the same rule of shared.numbering: a number taken in a transaction that rolls
back is handed out again, so the series has no gap. Read them side by side: the TestCase is
what Django's own docs teach; the pytest function is how every other test here is written.
pytest runs both (it collects unittest classes too).
"""

import pytest
from django.db import transaction
from django.test import TestCase

from shared.numbering.models import Counter
from shared.numbering.services import next_number


class InvoiceSaveFailed(Exception):
    """The error that makes the transaction roll back in the two tests."""


class GapFreeNumberingTestCase(TestCase):
    """The Django way: a class, setUp, self.assert* methods; each test runs in a transaction."""

    def setUp(self):
        with transaction.atomic():
            self.first = next_number("invoice-2026")

    def test_a_rolled_back_number_is_given_again(self):
        with self.assertRaises(InvoiceSaveFailed), transaction.atomic():
            self.assertEqual(next_number("invoice-2026"), 2)
            raise InvoiceSaveFailed("the invoice could not be saved")

        with transaction.atomic():
            self.assertEqual(next_number("invoice-2026"), 2)  # the same number: no gap
        self.assertEqual(self.first, 1)
        self.assertEqual(Counter.objects.get(series="invoice-2026").last_value, 2)


# The pytest way: a fixture instead of setUp, a plain function, a plain assert.
@pytest.fixture
def first_number(db) -> int:
    with transaction.atomic():
        return next_number("invoice-2026")


def test_a_rolled_back_number_is_given_again(first_number):
    with pytest.raises(InvoiceSaveFailed), transaction.atomic():
        assert next_number("invoice-2026") == 2
        raise InvoiceSaveFailed("the invoice could not be saved")

    with transaction.atomic():
        assert next_number("invoice-2026") == 2  # the same number: no gap
    assert first_number == 1
    assert Counter.objects.get(series="invoice-2026").last_value == 2
