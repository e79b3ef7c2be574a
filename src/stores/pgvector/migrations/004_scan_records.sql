-- What the last scan learned about each document's file (size, mtime, inode, hashes, the boilerplate keys its parse
-- looked up: load.ts `ScannedFile`), and the corpus' boilerplate lines and parser revision those parses used. With
-- them a re-index neither reads nor parses a file that has not changed, as the local store does: re-indexing one
-- document had parsed the whole corpus again (55 s at a million chunks).
ALTER TABLE documents ADD COLUMN scan jsonb;
ALTER TABLE store_state ADD COLUMN boilerplate_lines text[], ADD COLUMN parser_revision integer;
