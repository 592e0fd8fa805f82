"""Staff pages of the catalogue app (mounted under /workbench/catalogue/, namespace ``catalogue_wb``).

:mod:`.setup` domains and element templates · :mod:`.catalogues` standard catalogues, versions,
items and their actions · :mod:`.imports` the import wizard · :mod:`.lists` units' own lists.
State changes that are workflow steps go through :mod:`gongkai.catalogue.actions` (the same
actions the API serves).
"""
