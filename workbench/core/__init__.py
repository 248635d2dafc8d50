"""The numbers: checked settings, the portfolio as arrays, the engine that evaluates a
scheme's declarations, results and comparisons, incremental tuning, distributions. Knows
no bank, reads no file, draws nothing."""
