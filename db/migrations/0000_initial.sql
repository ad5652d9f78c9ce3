CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`unit` text NOT NULL,
	`store_id` text NOT NULL,
	`card_id` text,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_code_unique` ON `accounts` (`code`);--> statement-breakpoint
CREATE INDEX `accounts_card` ON `accounts` (`card_id`);--> statement-breakpoint
CREATE TABLE `audit` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`code` text,
	`operation_id` text,
	`staff_id` text,
	`terminal_id` text,
	`details` text
);
--> statement-breakpoint
CREATE TABLE `balances` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`debits` integer DEFAULT 0 NOT NULL,
	`credits` integer DEFAULT 0 NOT NULL,
	`no_overdraft` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "balances_no_overdraft" CHECK("balances"."no_overdraft" = 0 OR "balances"."credits" >= "balances"."debits")
);
--> statement-breakpoint
CREATE TABLE `cards` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`store_id` text NOT NULL,
	`card_number` text NOT NULL,
	`uid` text,
	`medium` text NOT NULL,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cards_card_number_unique` ON `cards` (`card_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `cards_uid_unique` ON `cards` (`uid`);--> statement-breakpoint
CREATE INDEX `cards_member` ON `cards` (`member_id`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`name` text NOT NULL,
	`phone` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `operations` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`kind` text NOT NULL,
	`store_id` text NOT NULL,
	`terminal_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`approved_by` text,
	`card_id` text,
	`counterpart_card_id` text,
	`target_operation_id` text,
	`amount_fen` integer NOT NULL,
	`principal_fen` integer NOT NULL,
	`bonus_fen` integer NOT NULL,
	`points` integer NOT NULL,
	`tender` text,
	`tender_reference` text,
	`memo` text,
	`card_state` text,
	`business_day` text NOT NULL,
	`created_at` integer NOT NULL,
	`principal_after` integer NOT NULL,
	`bonus_after` integer NOT NULL,
	`points_after` integer NOT NULL,
	`request_hash` text NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`terminal_id`) REFERENCES `terminals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`counterpart_card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operations_id_unique` ON `operations` (`id`);--> statement-breakpoint
CREATE INDEX `operations_card` ON `operations` (`card_id`,`seq`);--> statement-breakpoint
CREATE INDEX `operations_counterpart` ON `operations` (`counterpart_card_id`,`seq`) WHERE "operations"."counterpart_card_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `operations_day` ON `operations` (`business_day`);--> statement-breakpoint
CREATE INDEX `operations_target` ON `operations` (`target_operation_id`) WHERE "operations"."target_operation_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`operation_id` text NOT NULL,
	`terminal_id` text NOT NULL,
	`store_id` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_operation_id_unique` ON `outbox` (`operation_id`);--> statement-breakpoint
CREATE INDEX `outbox_unsent` ON `outbox` (`seq`) WHERE "outbox"."sent_at" IS NULL;--> statement-breakpoint
CREATE TABLE `print_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`printer_id` text NOT NULL,
	`kind` text NOT NULL,
	`bytes` blob NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`reprint_of` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `print_jobs_printer` ON `print_jobs` (`printer_id`,`state`,`created_at`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `staff` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`pin_hash` text NOT NULL,
	`failed_pin_attempts` integer DEFAULT 0 NOT NULL,
	`locked_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_code_unique` ON `staff` (`code`);--> statement-breakpoint
CREATE TABLE `stores` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`currency` text DEFAULT 'CNY' NOT NULL,
	`time_zone` text NOT NULL,
	`day_close_hour` integer NOT NULL,
	`spend_policy` text NOT NULL,
	`single_operation_limit_fen` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `terminals` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `transfers` (
	`id` integer PRIMARY KEY NOT NULL,
	`operation_seq` integer NOT NULL,
	`debit_account_id` integer NOT NULL,
	`credit_account_id` integer NOT NULL,
	`amount` integer NOT NULL,
	FOREIGN KEY (`operation_seq`) REFERENCES `operations`(`seq`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`debit_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`credit_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "transfers_amount_positive" CHECK("transfers"."amount" > 0)
);
--> statement-breakpoint
CREATE INDEX `transfers_debit` ON `transfers` (`debit_account_id`,`operation_seq`,`amount`);--> statement-breakpoint
CREATE INDEX `transfers_credit` ON `transfers` (`credit_account_id`,`operation_seq`,`amount`);--> statement-breakpoint
CREATE INDEX `transfers_operation` ON `transfers` (`operation_seq`);