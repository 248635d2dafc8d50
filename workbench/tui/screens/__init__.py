"""The workbench's screens and dialogs: the main screen, compare, planner tools, help."""
