CREATE TABLE `bonus_expiries` (
	`top_up_operation_id` text PRIMARY KEY NOT NULL,
	`card_id` text NOT NULL,
	`expired_fen` integer NOT NULL,
	`operation_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `charge_terms` (
	`operation_id` text PRIMARY KEY NOT NULL,
	`card_id` text NOT NULL,
	`member_id` text NOT NULL,
	`list_price_fen` integer NOT NULL,
	`tier_id` text,
	`discount_bp` integer NOT NULL,
	`discount_fen` integer NOT NULL,
	`points_redeemed` integer NOT NULL,
	`points_value_fen` integer NOT NULL,
	`charged_fen` integer NOT NULL,
	`points_earned` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `charge_terms_member` ON `charge_terms` (`member_id`,`at`);--> statement-breakpoint
CREATE TABLE `gift_redemptions` (
	`operation_id` text PRIMARY KEY NOT NULL,
	`gift_id` text NOT NULL,
	`gift_name` text NOT NULL,
	`points` integer NOT NULL,
	`card_id` text NOT NULL,
	`member_id` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `gift_redemptions_member` ON `gift_redemptions` (`member_id`,`at`);--> statement-breakpoint
CREATE TABLE `notice_opt_ins` (
	`member_id` text PRIMARY KEY NOT NULL,
	`top_up` integer NOT NULL,
	`spend` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`topic` text NOT NULL,
	`kind` text NOT NULL,
	`store_id` text NOT NULL,
	`member_id` text,
	`source_seq` integer NOT NULL,
	`source_operation_id` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`delivered_at` integer,
	`failed_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notices_source` ON `notices` (`topic`,`source_seq`);--> statement-breakpoint
CREATE INDEX `notices_due` ON `notices` (`next_attempt_at`) WHERE "notices"."delivered_at" IS NULL AND "notices"."failed_at" IS NULL;