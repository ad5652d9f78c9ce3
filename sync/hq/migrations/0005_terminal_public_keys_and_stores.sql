CREATE TABLE "hq_stores" (
	"store_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"time_zone" text NOT NULL,
	"currency" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hq_terminals" ALTER COLUMN "key" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "hq_terminals" ALTER COLUMN "enrolled_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "hq_terminals" ADD COLUMN "name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "hq_terminals" ADD COLUMN "public_key" text;--> statement-breakpoint
ALTER TABLE "hq_terminals" ADD COLUMN "created_at" bigint DEFAULT 0 NOT NULL;