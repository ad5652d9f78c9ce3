CREATE TABLE "hq_nonces" (
	"terminal_id" text NOT NULL,
	"nonce" text NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "hq_nonces_terminal_id_nonce_pk" PRIMARY KEY("terminal_id","nonce")
);
--> statement-breakpoint
CREATE INDEX "hq_nonces_expiry" ON "hq_nonces" USING btree ("expires_at");