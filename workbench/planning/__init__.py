"""The planner's tools on top of the engine: running scenarios with their baselines,
comparing scenarios, sweeping a parameter, solving for thresholds, explaining a customer."""
