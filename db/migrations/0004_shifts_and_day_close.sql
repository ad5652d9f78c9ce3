CREATE TABLE `day_closes` (
	`store_id` text NOT NULL,
	`business_day` text NOT NULL,
	`closed_at` integer NOT NULL,
	`closed_by` text NOT NULL,
	`report` text NOT NULL,
	`principal_closing_fen` integer NOT NULL,
	`bonus_closing_fen` integer NOT NULL,
	PRIMARY KEY(`store_id`, `business_day`),
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `shift_cash_movements` (
	`operation_id` text PRIMARY KEY NOT NULL,
	`shift_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`reason` text NOT NULL,
	`staff_id` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`shift_id`) REFERENCES `shifts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `shift_cash_movements_shift` ON `shift_cash_movements` (`shift_id`,`at`);--> statement-breakpoint
CREATE TABLE `shifts` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`terminal_id` text NOT NULL,
	`cashier_id` text NOT NULL,
	`state` text NOT NULL,
	`opened_at` integer NOT NULL,
	`float_fen` integer NOT NULL,
	`float_count` text NOT NULL,
	`previous_shift_id` text,
	`counted_at` integer,
	`counted_fen` integer,
	`closing_count` text,
	`expected_fen` integer,
	`variance_fen` integer,
	`variance_reason` text,
	`signed_off_by` text,
	`closed_at` integer,
	`handed_over_fen` integer,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`terminal_id`) REFERENCES `terminals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cashier_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`signed_off_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `shifts_terminal` ON `shifts` (`terminal_id`,`opened_at`);--> statement-breakpoint
CREATE INDEX `shifts_store_state` ON `shifts` (`store_id`,`state`);