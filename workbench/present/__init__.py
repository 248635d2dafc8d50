"""How figures read: the words of every label and message in English and Chinese, tables
of formatted cells, and every JSON and CSV shape the workbench writes."""
