"""Billing: invoices with lines, issued, paid by one or more payments, or voided."""
