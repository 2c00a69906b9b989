/**
 * SQLite schema of the sandbox.
 *
 * Every association, including an item's tags and security labels, is one row per direction in `links`,
 * so that one query shape serves every pivot listing of rest-api-v2.md section 10 from either end.
 * Tags and security labels belong to an owner (schema 2, decisions.md 2.4): the same name in two owners
 * is two rows, and an item links only to its own owner's.
 *
 * `group_xids` holds the external ids (`xid`) batch jobs give groups, and `hidden_victim_assets` the
 * victim assets removed from an item. They were added without a new schema version: every start creates
 * the tables that are missing, so an older database gains them.
 */
export const SCHEMA_VERSION = 2;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS owners (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  type TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY,
  role TEXT NOT NULL,
  access_id TEXT NOT NULL UNIQUE,
  secret_key TEXT NOT NULL,
  user_name TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  org_owner_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS user_owners (
  user_id INTEGER NOT NULL,
  owner_id INTEGER NOT NULL,
  PRIMARY KEY (user_id, owner_id)
);

CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL,
  expires INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS indicators (
  id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  summary TEXT NOT NULL,
  lookup TEXT,
  md5 TEXT,
  sha1 TEXT,
  sha256 TEXT,
  vals TEXT,
  date_added TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  last_modified_ms INTEGER NOT NULL,
  rating REAL,
  confidence INTEGER,
  threat_assess_rating REAL,
  threat_assess_confidence REAL,
  web_link TEXT,
  description TEXT,
  source TEXT,
  size INTEGER,
  dns_active TEXT,
  whois_active TEXT,
  active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS indicators_owner ON indicators (owner_id, active, id);
CREATE INDEX IF NOT EXISTS indicators_owner_type ON indicators (owner_id, type, active, id);
CREATE INDEX IF NOT EXISTS indicators_lookup ON indicators (owner_id, type, lookup);
CREATE INDEX IF NOT EXISTS indicators_md5 ON indicators (owner_id, md5) WHERE md5 IS NOT NULL;
CREATE INDEX IF NOT EXISTS indicators_sha1 ON indicators (owner_id, sha1) WHERE sha1 IS NOT NULL;
CREATE INDEX IF NOT EXISTS indicators_sha256 ON indicators (owner_id, sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX IF NOT EXISTS indicators_modified ON indicators (owner_id, last_modified_ms);

-- Indicators deleted by any path (Store.recordIndicatorDeletions), for /v2/indicators/deleted.
-- seq orders deletions, and rows older than the retention window are purged on the next deletion.
CREATE TABLE IF NOT EXISTS deleted_indicators (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  indicator_id INTEGER NOT NULL,
  owner_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  summary TEXT NOT NULL,
  date_added TEXT NOT NULL,
  deleted_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deleted_indicators_owner ON deleted_indicators (owner_id, deleted_ms);

CREATE TABLE IF NOT EXISTS groups (
  id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  date_added TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  web_link TEXT,
  fields TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS groups_owner ON groups (owner_id, id);
CREATE INDEX IF NOT EXISTS groups_owner_type ON groups (owner_id, type, id);

CREATE TABLE IF NOT EXISTS document_chunks (
  group_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (group_id, seq)
);

CREATE TABLE IF NOT EXISTS upload_chunks (
  upload_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (upload_id, seq)
);

CREATE TABLE IF NOT EXISTS victims (
  id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  org TEXT,
  suborg TEXT,
  work_location TEXT,
  nationality TEXT,
  web_link TEXT
);
CREATE INDEX IF NOT EXISTS victims_owner ON victims (owner_id, id);

CREATE TABLE IF NOT EXISTS victim_assets (
  id INTEGER PRIMARY KEY,
  victim_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  fields TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS victim_assets_victim ON victim_assets (victim_id, id);

CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  date_added TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  web_link TEXT,
  fields TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS tasks_owner ON tasks (owner_id, id);

CREATE TABLE IF NOT EXISTS tags (
  id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL,
  name TEXT NOT NULL COLLATE NOCASE,
  description TEXT,
  UNIQUE (owner_id, name)
);

CREATE TABLE IF NOT EXISTS security_labels (
  id INTEGER PRIMARY KEY,
  owner_id INTEGER NOT NULL,
  name TEXT NOT NULL COLLATE NOCASE,
  description TEXT,
  date_added TEXT NOT NULL,
  color TEXT,
  UNIQUE (owner_id, name)
);

CREATE TABLE IF NOT EXISTS attributes (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  displayed INTEGER NOT NULL DEFAULT 0,
  source TEXT,
  date_added TEXT NOT NULL,
  last_modified TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attributes_item ON attributes (kind, item_id, id);

CREATE TABLE IF NOT EXISTS group_xids (
  owner_id INTEGER NOT NULL,
  xid TEXT NOT NULL,
  group_id INTEGER NOT NULL,
  PRIMARY KEY (owner_id, xid)
);
-- Indicator intelligence (rest-api-v2.md 6.6). Observations and false positives are counted per
-- user and per UTC day (day is YYYY-MM-DD), and a DNS resolution is one host-to-address row of a date.
CREATE TABLE IF NOT EXISTS observations (
  indicator_id INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  day TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_observed TEXT NOT NULL,
  PRIMARY KEY (indicator_id, user_name, day)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS observations_day ON observations (day, indicator_id);

CREATE TABLE IF NOT EXISTS false_positives (
  indicator_id INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  day TEXT NOT NULL,
  reported TEXT NOT NULL,
  PRIMARY KEY (indicator_id, user_name, day)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS file_occurrences (
  id INTEGER PRIMARY KEY,
  indicator_id INTEGER NOT NULL,
  file_name TEXT,
  path TEXT,
  date TEXT
);
CREATE INDEX IF NOT EXISTS file_occurrences_file ON file_occurrences (indicator_id, id);

CREATE TABLE IF NOT EXISTS dns_resolutions (
  id INTEGER PRIMARY KEY,
  host_id INTEGER NOT NULL,
  address_id INTEGER NOT NULL,
  resolution_date TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dns_resolutions_host ON dns_resolutions (host_id, resolution_date, address_id);
CREATE INDEX IF NOT EXISTS dns_resolutions_address ON dns_resolutions (address_id, host_id);

CREATE TABLE IF NOT EXISTS adversary_assets (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS adversary_assets_group ON adversary_assets (group_id, id);

-- Typed indicator-to-indicator associations (rest-api-v2.md 10): custom association types are stored in
-- both directions (they are symmetric), file actions from the file only.
CREATE TABLE IF NOT EXISTS indicator_links (
  assoc TEXT NOT NULL,
  a_id INTEGER NOT NULL,
  b_id INTEGER NOT NULL,
  PRIMARY KEY (a_id, assoc, b_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS indicator_links_b ON indicator_links (b_id);

-- Victim assets removed from an indicator, group or task (DELETE {item}/victimAssets/{type}/{id},
-- rest-api-v2.md 10): the item still has the asset's victim, and lists the victim's other assets. A row
-- goes when the item, the victim or the asset goes, or when the item's link to the victim is removed.
CREATE TABLE IF NOT EXISTS hidden_victim_assets (
  item_kind TEXT NOT NULL,
  item_id INTEGER NOT NULL,
  asset_id INTEGER NOT NULL,
  victim_id INTEGER NOT NULL,
  PRIMARY KEY (item_kind, item_id, asset_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS links (
  a_kind TEXT NOT NULL,
  a_id INTEGER NOT NULL,
  b_kind TEXT NOT NULL,
  b_id INTEGER NOT NULL,
  PRIMARY KEY (a_kind, a_id, b_kind, b_id)
) WITHOUT ROWID;
`;
