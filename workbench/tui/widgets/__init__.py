"""The workbench's panels: parameters, tables, charts, header and status lines."""
