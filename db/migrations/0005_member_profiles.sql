CREATE TABLE `member_consents` (
	`id` integer PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`kind` text NOT NULL,
	`granted` integer NOT NULL,
	`purpose` text NOT NULL,
	`version` text NOT NULL,
	`staff_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_consents_member` ON `member_consents` (`member_id`,`kind`,`id`);--> statement-breakpoint
CREATE TABLE `member_name_grams` (
	`gram` text NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`gram`, `member_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_name_grams_member` ON `member_name_grams` (`member_id`);--> statement-breakpoint
CREATE TABLE `member_profiles` (
	`member_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`phone` text,
	`id_number` text,
	`birthday` text,
	`notes` text,
	`tier_id` text,
	`password_hash` text,
	`password_failures` integer DEFAULT 0 NOT NULL,
	`password_locked_at` integer,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `member_profiles_phone` ON `member_profiles` (`phone`) WHERE "member_profiles"."phone" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `member_profiles_name` ON `member_profiles` (`name`) WHERE "member_profiles"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `member_profiles_id_number` ON `member_profiles` (`id_number`) WHERE "member_profiles"."id_number" IS NOT NULL;