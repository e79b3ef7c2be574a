-- Which chunker revision cut the stored chunks (NULL: written before revisions were recorded, i.e. revision 1).
-- A re-index by code with another revision cuts every document again, re-using unchanged chunks' vectors.
ALTER TABLE store_state ADD COLUMN chunker_revision integer;
