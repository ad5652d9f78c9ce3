CREATE TABLE `member_blind_index` (
	`token` text NOT NULL,
	`member_id` text NOT NULL,
	`key_id` text NOT NULL,
	PRIMARY KEY(`token`, `member_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_blind_index_member` ON `member_blind_index` (`member_id`);