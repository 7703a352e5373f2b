"""Saved mappings: a client's own way of reading a file no built-in source knows, their editor and screens."""
