CREATE TABLE "hq_admin_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"actor" text,
	"action" text NOT NULL,
	"target" text,
	"outcome" text NOT NULL,
	"code" text,
	"details" jsonb,
	"address" text
);
--> statement-breakpoint
CREATE TABLE "hq_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "hq_users" (
	"username" text PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"disabled_at" bigint
);
--> statement-breakpoint
ALTER TABLE "hq_terminals" ADD COLUMN "revoked_at" bigint;--> statement-breakpoint
ALTER TABLE "hq_terminals" ADD COLUMN "revoked_by" text;--> statement-breakpoint
CREATE INDEX "hq_admin_audit_at" ON "hq_admin_audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "hq_sessions_user" ON "hq_sessions" USING btree ("username");