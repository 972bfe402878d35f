"""muba-desk: the offline registry of Dinas Sosial Musi Banyuasin's seven aid programs."""

__version__ = "0.1.0"
