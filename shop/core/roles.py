"""Every role name of the shop, and the named sets of roles its pages check (plain constants).

Settings import ``ROLES``, ``ROLE_SETS`` and ``DEFAULT_ROLE``; Python code imports the
constants and templates name a set (``{% if user|has_role:"back_office" %}``), so a role's
name is spelled exactly once, here.
"""

CUSTOMER = "customer"
STAFF = "staff"
# "admin" is Django's superuser (the demo login), not a role group: it is not listed here.

ROLES = {CUSTOMER: "Customer", STAFF: "Shop staff"}
# Self-registration grants this role (shared.accounts).
DEFAULT_ROLE = CUSTOMER

# Who may use the staff pages, the staff API and receive the staff emails.
BACK_OFFICE = (STAFF,)
CUSTOMERS = (CUSTOMER,)

ROLE_SETS = {"back_office": BACK_OFFICE, "customers": CUSTOMERS}
