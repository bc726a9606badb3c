-- Personal data (RGPD): when an account was closed (the retention period
-- counts from then) and when its person was erased (names replaced on every
-- public record; SaveNeed replaces them again in what a workflow re-saves).
ALTER TABLE users ADD COLUMN deactivated_at timestamptz;
ALTER TABLE users ADD COLUMN erased_at timestamptz;
UPDATE users SET deactivated_at = updated_at WHERE NOT active;
CREATE INDEX users_closed_idx ON users (deactivated_at) WHERE erased_at IS NULL AND NOT active;

-- What an export or an erasure looks up by person.
CREATE INDEX events_actor_idx ON events (actor_id) WHERE actor_id IS NOT NULL;
CREATE INDEX votes_voter_idx ON votes (voter_id);
CREATE INDEX carriers_proposer_idx ON carriers (proposed_by);
CREATE INDEX supports_user_idx ON supports (user_id);
