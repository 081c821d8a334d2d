"""A pull request that changes a customer file changes every schedule of that customer.

`schedules/<customer>/customer.yaml` gives its folder's schedules what they leave out (timezone,
recipients, sender name, locale...), so when a pull request changes it, each of those schedules
runs differently although its own file is untouched. The preview treats them as changed: their
files are compared at the merge-base and in the work tree like the files the pull request edits,
each side with the customer file of that side (`OldCustomers` holds the merge-base's).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from gitcron.catalog.customers import CustomerRead, is_customer_file, read_customer
from gitcron.catalog.files import CUSTOMER_FILE, SCHEDULES_DIR, SUFFIX
from gitcron.gitops.git import tree_paths


def customer_of(rel: str) -> str:
    """The customer folder of a file under schedules/ (`acme` of schedules/acme/weekly.yaml)."""
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == SCHEDULES_DIR else ""


def changed_customers(paths: list[str]) -> list[str]:
    """The customers whose customer file is among the changed `paths`."""
    return sorted({customer_of(rel) for rel in paths if is_customer_file(rel)})


def schedules_of(root: Path, base: str, customers: list[str]) -> list[str]:
    """Every schedule file in these customers' folders at `base`: each inherits the change.
    Those the pull request adds are among its changed paths already, so the work tree is not
    walked (other files there are listed only when the pull request changes them)."""
    if not customers:
        return []
    folders = [f"{SCHEDULES_DIR}/{customer}/" for customer in customers]
    found = tree_paths(root, base, folders)
    return [rel for rel in found if rel.endswith(SUFFIX) and not is_customer_file(rel)]


class OldCustomers:
    """Each customer file as it was at the merge-base: the changed ones from their old bytes,
    the others as they are now (the pull request left them as they were)."""

    def __init__(self, root: Path, blobs: dict[str, bytes | None], customers: list[str]) -> None:
        self.root = root
        self.changed = set(customers)
        self._read: dict[str, CustomerRead] = {}
        with tempfile.TemporaryDirectory(prefix="gitcron-base-") as folder:
            for customer in customers:
                blob = blobs.get(f"{SCHEDULES_DIR}/{customer}/{CUSTOMER_FILE}")
                rel = f"{SCHEDULES_DIR}/{customer}/{CUSTOMER_FILE}"
                blob = blobs.get(rel)
                if blob is None:  # the pull request adds it
                    self._read[customer] = CustomerRead(rel)
                    continue
                path = Path(folder) / rel
                path.parent.mkdir(parents=True)
                path.write_bytes(blob)
                self._read[customer] = read_customer(Path(folder), customer)

    def read(self, customer: str) -> CustomerRead:
        found = self._read.get(customer)
        return found if found is not None else read_customer(self.root, customer)

    def inherited(self, customer: str) -> bool:
        """Whether the folder's schedules get something else from the pull request's file."""
        if customer not in self.changed:
            return False
        old, new = self.read(customer), read_customer(self.root, customer)
        return (old.ok, old.model) != (new.ok, new.model)
