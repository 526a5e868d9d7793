// The read store's tables, as numbered migrations applied in order at start
// (./install.ts). A migration is never edited once released: a change is a
// new entry. Ids and keys that are sorted on are `COLLATE "C"`, so order is
// code-point order on every server, whatever its locale (§4). Date-times are
// ISO 8601 UTC text (`…T…Z`, always the same width), which sorts as time.

import { edgeCredentialsMigration } from './edge-credentials.ts';

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    id: 1,
    name: 'tables of every projection',
    sql: `
CREATE TABLE read_model_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
-- One row: the last log position whose event is reflected in the rows, and
-- when it was applied. Written in the same transaction as the rows.
CREATE TABLE checkpoint (
  id int PRIMARY KEY CHECK (id = 1),
  position bigint,
  applied_at text
);
INSERT INTO checkpoint (id, position, applied_at) VALUES (1, NULL, NULL);

CREATE TABLE accounts (
  user_id text COLLATE "C" PRIMARY KEY,
  username text NOT NULL,
  username_key text COLLATE "C" NOT NULL,
  display_name text NOT NULL,
  credits bigint NOT NULL DEFAULT 0
);

CREATE TABLE cameras (
  camera_id text COLLATE "C" PRIMARY KEY,
  owner_id text COLLATE "C" NOT NULL,
  label text NOT NULL,
  label_key text COLLATE "C" NOT NULL,
  public_label text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  address1 text NOT NULL DEFAULT '',
  address2 text NOT NULL DEFAULT '',
  address3 text NOT NULL DEFAULT '',
  county text NOT NULL DEFAULT '',
  postcode text NOT NULL DEFAULT '',
  country text NOT NULL DEFAULT '',
  latitude double precision,
  longitude double precision,
  alerts boolean NOT NULL DEFAULT false,
  record_video boolean NOT NULL DEFAULT false,
  is_hidden boolean NOT NULL DEFAULT false,
  live_view_capable boolean NOT NULL,
  live_view_connected boolean NOT NULL DEFAULT false,
  deleted boolean NOT NULL DEFAULT false
);
CREATE INDEX cameras_by_owner ON cameras (owner_id, label_key, camera_id) WHERE NOT deleted;

-- Deleted folders stay as tombstones: an item or snapshot that arrives for a
-- folder already gone must be recognised as gone too.
CREATE TABLE folders (
  folder_id text COLLATE "C" PRIMARY KEY,
  owner_id text COLLATE "C" NOT NULL,
  name text NOT NULL,
  name_key text COLLATE "C" NOT NULL,
  parent_id text COLLATE "C",
  deleted boolean NOT NULL DEFAULT false
);
CREATE INDEX folders_by_parent ON folders (owner_id, parent_id, name_key, folder_id) WHERE NOT deleted;

-- Every item until it is purged (one filed in a deleted folder is hidden by
-- the queries). folder_id NULL is the inbox (or the trash when trashed_at is set).
CREATE TABLE items (
  item_id text COLLATE "C" PRIMARY KEY,
  owner_id text COLLATE "C" NOT NULL,
  camera_id text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  folder_id text COLLATE "C",
  label text NOT NULL DEFAULT '',
  note text NOT NULL DEFAULT '',
  flagged boolean NOT NULL DEFAULT false,
  is_alert boolean NOT NULL,
  start_datetime text COLLATE "C" NOT NULL,
  end_datetime text NOT NULL,
  frame_count int NOT NULL,
  source_item_id text,
  identifier text,
  trashed_at text COLLATE "C"
);
CREATE INDEX items_by_folder ON items (owner_id, folder_id, start_datetime DESC, item_id) WHERE trashed_at IS NULL;
CREATE INDEX items_in_trash ON items (owner_id, trashed_at DESC, item_id) WHERE trashed_at IS NOT NULL;

CREATE TABLE frames (
  item_id text COLLATE "C" NOT NULL,
  seq int NOT NULL,
  identifier text NOT NULL,
  datetime text NOT NULL,
  milliseconds int,
  PRIMARY KEY (item_id, seq)
);

CREATE TABLE networks (
  network_id text COLLATE "C" PRIMARY KEY,
  owner_id text COLLATE "C" NOT NULL,
  name text NOT NULL,
  name_key text COLLATE "C" NOT NULL,
  type text NOT NULL,
  requires_cameras boolean NOT NULL,
  description text NOT NULL
);
CREATE INDEX networks_by_name ON networks (name_key, network_id);

-- cameras: a JSON array of camera ids, as the member brought them.
CREATE TABLE network_members (
  network_id text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  cameras text NOT NULL,
  PRIMARY KEY (network_id, user_id)
);
CREATE INDEX network_members_by_user ON network_members (user_id, network_id);

CREATE TABLE network_requests (
  network_id text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  cameras text NOT NULL,
  requested_at bigint NOT NULL,
  PRIMARY KEY (network_id, user_id)
);

-- Pending invitations only: accepted or revoked ones are deleted.
CREATE TABLE network_invitations (
  invitation_id text COLLATE "C" PRIMARY KEY,
  network_id text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL
);
CREATE INDEX network_invitations_by_user ON network_invitations (network_id, user_id);

CREATE TABLE forum_threads (
  thread_id text COLLATE "C" PRIMARY KEY,
  network_id text COLLATE "C" NOT NULL,
  subject text NOT NULL,
  author_id text COLLATE "C" NOT NULL,
  post_count int NOT NULL,
  last_posted_at text COLLATE "C" NOT NULL
);
CREATE INDEX forum_threads_by_network ON forum_threads (network_id, last_posted_at DESC, thread_id);

CREATE TABLE forum_posts (
  thread_id text COLLATE "C" NOT NULL,
  seq int NOT NULL,
  author_id text COLLATE "C" NOT NULL,
  body text NOT NULL,
  posted_at text NOT NULL,
  PRIMARY KEY (thread_id, seq)
);

CREATE TABLE private_threads (
  thread_id text COLLATE "C" PRIMARY KEY,
  subject text NOT NULL,
  sender_id text COLLATE "C" NOT NULL,
  recipient_id text COLLATE "C" NOT NULL,
  message_count int NOT NULL,
  last_message_at text COLLATE "C" NOT NULL
);
CREATE INDEX private_threads_by_sender ON private_threads (sender_id);
CREATE INDEX private_threads_by_recipient ON private_threads (recipient_id);

CREATE TABLE private_messages (
  thread_id text COLLATE "C" NOT NULL,
  seq int NOT NULL,
  from_id text COLLATE "C" NOT NULL,
  body text NOT NULL,
  sent_at text NOT NULL,
  PRIMARY KEY (thread_id, seq)
);
`,
  },
  edgeCredentialsMigration,
];
