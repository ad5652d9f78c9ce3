ALTER TABLE `staff` ADD `approver_failures` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `staff` ADD `approver_paused_until` integer;