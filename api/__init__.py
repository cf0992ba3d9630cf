"""trialgraph.api: mounted from the top-level `api/` folder (see pyproject.toml)."""

from trialgraph._mounted import refuse_bare_import

refuse_bare_import(__name__)
