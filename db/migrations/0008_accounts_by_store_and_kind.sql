-- The day close sums the liability of a store's cards from their balance rows; this index lets it read
-- only that store's principal and bonus accounts instead of every account the terminal knows.
CREATE INDEX IF NOT EXISTS `accounts_store_kind` ON `accounts` (`store_id`, `kind`);
