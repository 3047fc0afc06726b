"""The guard's side of the booth window: status, prompts and the F-key flows."""
