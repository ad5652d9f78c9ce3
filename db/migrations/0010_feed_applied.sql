CREATE TABLE `feed_applied` (
	`operation_id` text PRIMARY KEY NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`origin_terminal_id` text NOT NULL,
	`origin_store_id` text NOT NULL,
	`outcome` text NOT NULL,
	`code` text,
	`shortfall_fen` integer DEFAULT 0 NOT NULL,
	`applied_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `feed_applied_position` ON `feed_applied` (`position`);