"""What a scheme declares: tiers, criteria, metrics, parameters, options, benefits, cost
drivers; the canonical columns; the checks on a declaration; the plugin hooks and the
registry that loads plugins. Declarations only: no numerical work, no files, no UI."""
