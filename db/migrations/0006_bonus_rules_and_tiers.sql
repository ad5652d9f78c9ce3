CREATE TABLE `bonus_rules` (
	`id` text NOT NULL,
	`version` integer NOT NULL,
	`store_id` text NOT NULL,
	`name` text NOT NULL,
	`steps` text,
	`percent_bp` integer,
	`points_per_yuan` integer DEFAULT 0 NOT NULL,
	`upgrade_min_fen` integer,
	`upgrade_tier_id` text,
	`valid_from` integer NOT NULL,
	`valid_to` integer,
	`eligible_tiers` text,
	`per_member_limit` integer,
	`bonus_expiry_days` integer,
	`retired` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`id`, `version`),
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `bonus_rules_store` ON `bonus_rules` (`store_id`);--> statement-breakpoint
CREATE TABLE `member_tier_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`from_tier_id` text,
	`to_tier_id` text,
	`how` text NOT NULL,
	`reason` text,
	`operation_id` text,
	`staff_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_tier_changes_member` ON `member_tier_changes` (`member_id`,`id`);--> statement-breakpoint
CREATE TABLE `member_tiers` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`name` text NOT NULL,
	`rank` integer NOT NULL,
	`basis` text NOT NULL,
	`threshold_fen` integer NOT NULL,
	`discount_bp` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rule_applications` (
	`operation_id` text PRIMARY KEY NOT NULL,
	`rule_id` text NOT NULL,
	`rule_version` integer NOT NULL,
	`member_id` text NOT NULL,
	`card_id` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`bonus_fen` integer NOT NULL,
	`points` integer NOT NULL,
	`tier_upgrade_to` text,
	`bonus_expires_at` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rule_applications_member` ON `rule_applications` (`rule_id`,`member_id`);--> statement-breakpoint
CREATE INDEX `rule_applications_expiry` ON `rule_applications` (`bonus_expires_at`) WHERE "rule_applications"."bonus_expires_at" IS NOT NULL;