"""Deciding again, offline, what the booth decided or would decide: a new rule pack against
logged passages (dry run), one code as the booth would see it (what-if), the demo's expected
verdicts (self-test). Used by commands and the self-test, never by the running booth."""
