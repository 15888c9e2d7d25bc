"""Users' own recipes: units, ingredient-line parsing and matching, imports and drafts.

Pure helpers (no views); the pages live in foods/recipe_views.py.
"""
