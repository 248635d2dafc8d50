pytest_plugins = ["workbench.testing"]
