-- The hub's schema at version 0 (main before schema migrations), as create_all made it on
-- SQLite and PostgreSQL: $BLOB, $SERIAL and $NAME_OPS stand for what the two spell apart.
-- Frozen: tests build an old office database from it. Never edit.
CREATE TABLE booth_reports (
	booth_id VARCHAR(64) NOT NULL, 
	reported_at VARCHAR(40) NOT NULL, 
	clock_skew_s FLOAT NOT NULL, 
	backlog INTEGER NOT NULL, 
	app_version VARCHAR(64) NOT NULL, 
	bundle_versions TEXT NOT NULL, 
	checkpoint_type VARCHAR(64), 
	PRIMARY KEY (booth_id)
);

CREATE TABLE booth_sites (
	booth_id VARCHAR(64) NOT NULL, 
	mine TEXT NOT NULL, 
	checkpoint_type VARCHAR(32) NOT NULL, 
	added_by VARCHAR(64) NOT NULL, 
	added_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (booth_id)
);

CREATE TABLE booths (
	booth_id VARCHAR(64) NOT NULL, 
	token_hash VARCHAR(64), 
	enrolled_at VARCHAR(40), 
	head_seq INTEGER, 
	head_hash VARCHAR(64), 
	last_upload_at VARCHAR(40), 
	PRIMARY KEY (booth_id), 
	UNIQUE (token_hash)
);

CREATE TABLE bundles (
	name VARCHAR(64) NOT NULL, 
	version INTEGER NOT NULL, 
	signed $BLOB NOT NULL, 
	etag VARCHAR(80) NOT NULL, 
	published_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (name, version)
);

CREATE TABLE console_audit (
	id $SERIAL NOT NULL, 
	at VARCHAR(40) NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	action VARCHAR(64) NOT NULL, 
	detail TEXT NOT NULL, 
	address VARCHAR(64), 
	PRIMARY KEY (id)
);

CREATE INDEX hub_console_audit_at ON console_audit (at);

CREATE TABLE console_drafts (
	name VARCHAR(64) NOT NULL, 
	content TEXT NOT NULL, 
	updated_by VARCHAR(64) NOT NULL, 
	updated_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (name)
);

CREATE TABLE console_users (
	username VARCHAR(64) NOT NULL, 
	password_hash TEXT NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	mine TEXT, 
	failed_logins INTEGER NOT NULL, 
	locked_until VARCHAR(40), 
	created_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (username)
);

CREATE TABLE enrolment_codes (
	code_hash VARCHAR(64) NOT NULL, 
	booth_id VARCHAR(64) NOT NULL, 
	created_at VARCHAR(40) NOT NULL, 
	used_at VARCHAR(40), 
	PRIMARY KEY (code_hash)
);

CREATE TABLE list_publications (
	version INTEGER NOT NULL, 
	published_at VARCHAR(40) NOT NULL, 
	published_by VARCHAR(64) NOT NULL, 
	why TEXT NOT NULL, 
	isolation INTEGER NOT NULL, 
	contractors INTEGER NOT NULL, 
	visitors INTEGER NOT NULL, 
	PRIMARY KEY (version)
);

CREATE TABLE person_entries (
	entry_id $SERIAL NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	id_hash VARCHAR(64) NOT NULL, 
	id_masked VARCHAR(24) NOT NULL, 
	name TEXT NOT NULL, 
	until VARCHAR(10), 
	company TEXT, 
	project TEXT, 
	valid_from VARCHAR(10), 
	valid_until VARCHAR(10), 
	changed_by VARCHAR(64) NOT NULL, 
	changed_at VARCHAR(40) NOT NULL, 
	ended_at VARCHAR(40), 
	PRIMARY KEY (entry_id)
);

CREATE INDEX hub_person_entries_kind ON person_entries (kind, id_hash);

CREATE TABLE quarantine (
	id $SERIAL NOT NULL, 
	booth_id VARCHAR(64) NOT NULL, 
	kind TEXT NOT NULL, 
	record_id TEXT NOT NULL, 
	reason TEXT NOT NULL, 
	item TEXT NOT NULL, 
	received_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX hub_quarantine_booth ON quarantine (booth_id);

CREATE TABLE superseded_links (
	id $SERIAL NOT NULL, 
	booth_id VARCHAR(64) NOT NULL, 
	seq INTEGER NOT NULL, 
	link TEXT NOT NULL, 
	restore_event_id VARCHAR(64) NOT NULL, 
	superseded_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX hub_superseded_booth ON superseded_links (booth_id, seq);

CREATE TABLE visits (
	visit_id VARCHAR(32) NOT NULL, 
	holder_name TEXT NOT NULL, 
	id_hash VARCHAR(64) NOT NULL, 
	id_masked VARCHAR(24) NOT NULL, 
	purpose TEXT NOT NULL, 
	mine TEXT NOT NULL, 
	host TEXT NOT NULL, 
	first_day VARCHAR(10) NOT NULL, 
	last_day VARCHAR(10) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	requested_by VARCHAR(64) NOT NULL, 
	requested_at VARCHAR(40) NOT NULL, 
	decided_by VARCHAR(64), 
	decided_at VARCHAR(40), 
	refusal TEXT, 
	pass_id VARCHAR(64), 
	pass_text TEXT, 
	revoked_by VARCHAR(64), 
	revoked_at VARCHAR(40), 
	PRIMARY KEY (visit_id)
);

CREATE TABLE audit_events (
	event_id VARCHAR(64) NOT NULL, 
	booth_id VARCHAR(64) NOT NULL, 
	kind TEXT NOT NULL, 
	at VARCHAR(40) NOT NULL, 
	chain_seq INTEGER NOT NULL, 
	public_digest VARCHAR(64) NOT NULL, 
	personal_digest VARCHAR(64) NOT NULL, 
	record TEXT NOT NULL, 
	received_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (event_id), 
	FOREIGN KEY(booth_id) REFERENCES booths (booth_id)
);

CREATE TABLE chain_links (
	booth_id VARCHAR(64) NOT NULL, 
	seq INTEGER NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	record_id VARCHAR(64) NOT NULL, 
	public_digest VARCHAR(64) NOT NULL, 
	personal_digest VARCHAR(64) NOT NULL, 
	prev_hash VARCHAR(64) NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	PRIMARY KEY (booth_id, seq), 
	FOREIGN KEY(booth_id) REFERENCES booths (booth_id)
);

CREATE TABLE console_sessions (
	session_hash VARCHAR(64) NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	csrf_token VARCHAR(64) NOT NULL, 
	expires_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (session_hash), 
	FOREIGN KEY(username) REFERENCES console_users (username)
);

CREATE TABLE item_digests (
	booth_id VARCHAR(64) NOT NULL, 
	seq INTEGER NOT NULL, 
	link_hash VARCHAR(64) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	PRIMARY KEY (booth_id, seq), 
	FOREIGN KEY(booth_id) REFERENCES booths (booth_id)
);

CREATE TABLE kept_links (
	booth_id VARCHAR(64) NOT NULL, 
	link_hash VARCHAR(64) NOT NULL, 
	seq INTEGER NOT NULL, 
	recorded_as VARCHAR(64) NOT NULL, 
	reason TEXT NOT NULL, 
	received_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (booth_id, link_hash), 
	FOREIGN KEY(booth_id) REFERENCES booths (booth_id)
);

CREATE TABLE passages (
	passage_id VARCHAR(64) NOT NULL, 
	booth_id VARCHAR(64) NOT NULL, 
	decided_at VARCHAR(40) NOT NULL, 
	outcome TEXT NOT NULL, 
	pass_id TEXT, 
	holder_name TEXT, 
	id_masked TEXT, 
	temperature_c FLOAT, 
	policy_version TEXT NOT NULL, 
	chain_seq INTEGER NOT NULL, 
	public_digest VARCHAR(64) NOT NULL, 
	personal_digest VARCHAR(64) NOT NULL, 
	record TEXT NOT NULL, 
	received_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (passage_id), 
	FOREIGN KEY(booth_id) REFERENCES booths (booth_id)
);

CREATE INDEX hub_passages_booth_time ON passages (booth_id, decided_at);

CREATE INDEX hub_passages_masked ON passages (id_masked);

CREATE INDEX hub_passages_name ON passages (holder_name$NAME_OPS);

CREATE INDEX hub_passages_pass ON passages (pass_id);

CREATE INDEX hub_passages_time ON passages (decided_at);
