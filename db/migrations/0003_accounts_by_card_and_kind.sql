DROP INDEX `accounts_card`;--> statement-breakpoint
CREATE INDEX `accounts_card_kind` ON `accounts` (`card_id`,`kind`);