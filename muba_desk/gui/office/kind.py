"""Which registry the window has open; the answer lives in the store (`store.kind`), where the
status rules ask it too."""

from muba_desk.store.kind import LAPTOP, LAPTOP_AGE_IDENTITY, OFFICE, OFFICE_SECRET, registry_kind

__all__ = ["LAPTOP", "LAPTOP_AGE_IDENTITY", "OFFICE", "OFFICE_SECRET", "registry_kind"]
