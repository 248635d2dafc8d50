"""Everything on disk: reading bank exports as portfolios, the synthetic sample, scenario
files, recovery of unsaved changes, atomic writes, masking customer ids."""
