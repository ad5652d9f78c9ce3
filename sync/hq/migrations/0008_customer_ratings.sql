CREATE TABLE "hq_ratings" (
	"operation_id" text PRIMARY KEY NOT NULL,
	"terminal_id" text NOT NULL,
	"store_id" text NOT NULL,
	"staff_id" text NOT NULL,
	"staff_name" text NOT NULL,
	"stars" integer NOT NULL,
	"week" text NOT NULL,
	"visit_at" bigint NOT NULL,
	"rated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "hq_ratings_week" ON "hq_ratings" USING btree ("week");--> statement-breakpoint
CREATE INDEX "hq_ratings_low" ON "hq_ratings" USING btree ("stars","rated_at");