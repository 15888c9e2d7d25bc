"""Importers that fill the food catalog from USDA data and the curated catalog file."""
