CREATE TABLE `customer_ratings` (
	`operation_id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`terminal_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`staff_name` text NOT NULL,
	`stars` integer NOT NULL,
	`comment` text,
	`source` text NOT NULL,
	`visit_at` integer NOT NULL,
	`business_day` text NOT NULL,
	`rated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `customer_ratings_store_day` ON `customer_ratings` (`store_id`,`business_day`);