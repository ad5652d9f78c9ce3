CREATE TABLE `day_hour_stats` (
	`store_id` text NOT NULL,
	`business_day` text NOT NULL,
	`weekday` integer NOT NULL,
	`hour` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`store_id`, `business_day`, `weekday`, `hour`),
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
