ALTER TABLE "devices" ADD COLUMN "torn_down_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "teardown_claimed_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "devices_teardown_due_idx" ON "devices" USING btree ("status_changed_at","id") WHERE "devices"."status" = 'DELETED' and "devices"."torn_down_at" is null;