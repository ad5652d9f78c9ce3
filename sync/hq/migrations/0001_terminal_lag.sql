ALTER TABLE "hq_terminals" ADD COLUMN "lag_ms" bigint;--> statement-breakpoint
ALTER TABLE "hq_terminals" ADD COLUMN "waiting" bigint;