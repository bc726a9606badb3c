-- Duplicate detection compared essor_fold(title) row by row (unaccent on every
-- row); the folded title is now stored, computed once per write.
ALTER TABLE needs ADD COLUMN title_folded text GENERATED ALWAYS AS (essor_fold(title)) STORED;
DROP INDEX needs_title_trgm_idx;
