"""Where a booth's policy and trust come from: built-in documents, files the office gave the
mine and the hub's verified bundles, each kept current by a keeper while the booth runs."""
