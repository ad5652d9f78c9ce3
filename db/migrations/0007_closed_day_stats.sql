CREATE TABLE `day_kind_stats` (
	`store_id` text NOT NULL,
	`business_day` text NOT NULL,
	`kind` text NOT NULL,
	`count` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`bonus_fen` integer NOT NULL,
	PRIMARY KEY(`store_id`, `business_day`, `kind`),
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `day_member_stats` (
	`store_id` text NOT NULL,
	`business_day` text NOT NULL,
	`member_id` text NOT NULL,
	`visits` integer NOT NULL,
	`charge_fen` integer NOT NULL,
	`top_up_fen` integer NOT NULL,
	`first_visit_at` integer,
	`last_visit_at` integer,
	PRIMARY KEY(`store_id`, `business_day`, `member_id`),
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
