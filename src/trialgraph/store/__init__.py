"""Stores: one protocol (:mod:`.base`), one module per backend, chosen by a string."""
