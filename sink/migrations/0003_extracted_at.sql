-- When the parse stage made the current version: of two versions of one
-- fetch (trawler reparse of an archive), the later extraction is current.
-- Rows written before this column existed have none, and lose to any that
-- has one.
ALTER TABLE articles ADD COLUMN extracted_at timestamptz;
