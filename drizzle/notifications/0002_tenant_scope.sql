-- Notifications from before this migration keep a null tenant_id: only the ALL scope (and their own user) reaches them (fail closed).
ALTER TABLE "notifications" ADD COLUMN "tenant_id" uuid;--> statement-breakpoint
CREATE INDEX "notifications_tenant_created_at_idx" ON "notifications" USING btree ("tenant_id","created_at","id");