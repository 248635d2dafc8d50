"""The workbench in a browser: ``workbench serve`` (``docs/serve.md``)."""
