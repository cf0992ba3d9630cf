"""trialgraph.ingest: mounted from the top-level `ingest/` folder (see pyproject.toml)."""

from trialgraph._mounted import refuse_bare_import

refuse_bare_import(__name__)
