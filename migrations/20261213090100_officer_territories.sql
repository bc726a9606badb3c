-- The territories an officer covers (an admin says which): the reminders of
-- a need nobody is in charge of go to the officers covering its territory or
-- one of its parents, and to every officer when none does.
CREATE TABLE officer_territories (
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    territory_code text NOT NULL REFERENCES territories (code) ON UPDATE CASCADE,
    PRIMARY KEY (user_id, territory_code)
);
CREATE INDEX officer_territories_code_idx ON officer_territories (territory_code);
