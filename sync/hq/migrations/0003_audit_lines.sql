CREATE TABLE "hq_audit" (
	"terminal_id" text NOT NULL,
	"audit_id" bigint NOT NULL,
	"at" bigint NOT NULL,
	"action" text NOT NULL,
	"outcome" text NOT NULL,
	"code" text,
	"operation_id" text,
	"staff_id" text,
	"line_terminal_id" text,
	"details" text,
	"hash" text,
	"received_at" bigint NOT NULL,
	CONSTRAINT "hq_audit_terminal_id_audit_id_pk" PRIMARY KEY("terminal_id","audit_id")
);
--> statement-breakpoint
CREATE INDEX "hq_audit_action" ON "hq_audit" USING btree ("terminal_id","action");