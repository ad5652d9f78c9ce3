CREATE TABLE "hq_cards" (
	"card_id" text PRIMARY KEY NOT NULL,
	"issuer_store_id" text NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hq_enrolment_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"terminal_id" text NOT NULL,
	"store_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "hq_operations" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"operation_id" text NOT NULL,
	"terminal_id" text NOT NULL,
	"store_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"card_id" text,
	"card_delta" bigint,
	"created_at" bigint NOT NULL,
	"received_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hq_overdrafts" (
	"id" serial PRIMARY KEY NOT NULL,
	"card_id" text NOT NULL,
	"operation_id" text NOT NULL,
	"store_id" text NOT NULL,
	"terminal_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"balance_after" bigint NOT NULL,
	"detected_at" bigint NOT NULL,
	"resolved_at" bigint
);
--> statement-breakpoint
CREATE TABLE "hq_rejections" (
	"operation_id" text PRIMARY KEY NOT NULL,
	"terminal_id" text NOT NULL,
	"store_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"created_at" bigint NOT NULL,
	"received_at" bigint NOT NULL,
	"resolved_at" bigint
);
--> statement-breakpoint
CREATE TABLE "hq_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hq_terminals" (
	"terminal_id" text PRIMARY KEY NOT NULL,
	"store_id" text NOT NULL,
	"key" text NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"enrolled_at" bigint NOT NULL,
	"last_seen_at" bigint,
	"last_operation_at" bigint,
	"last_error_code" text,
	"last_error_at" bigint
);
--> statement-breakpoint
CREATE UNIQUE INDEX "hq_operations_operation_id" ON "hq_operations" USING btree ("operation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "hq_operations_terminal_seq" ON "hq_operations" USING btree ("terminal_id","seq");--> statement-breakpoint
CREATE INDEX "hq_operations_card" ON "hq_operations" USING btree ("card_id");--> statement-breakpoint
CREATE UNIQUE INDEX "hq_overdrafts_operation" ON "hq_overdrafts" USING btree ("operation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "hq_rejections_terminal_seq" ON "hq_rejections" USING btree ("terminal_id","seq");