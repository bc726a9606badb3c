-- One committee for every programme: a ballot says what kind of subject it
-- decides and carries its title, whether it is still open and its deadline,
-- so that one query lists every pending decision without joining each
-- programme's table.
ALTER TABLE ballots
    ADD COLUMN subject  text NOT NULL DEFAULT 'need',
    ADD COLUMN title    text NOT NULL DEFAULT '',
    ADD COLUMN open     boolean NOT NULL DEFAULT false,
    ADD COLUMN deadline timestamptz;
UPDATE ballots b SET title = n.title,
    open = (b.outcome = '' AND n.stage = 'committee'),
    deadline = CASE WHEN b.outcome = '' AND n.stage = 'committee' THEN n.next_deadline END
FROM needs n WHERE n.id = b.subject_id;
CREATE INDEX ballots_open_idx ON ballots (opened_at) WHERE open;
