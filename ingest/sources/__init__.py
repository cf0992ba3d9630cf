"""Readers that turn files, folders and stdin into Documents with stable character offsets."""
