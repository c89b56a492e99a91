-- Installs from before this migration keep a null tenant_id: only the ALL scope (and their own user) reaches them (fail closed).
ALTER TABLE "device_applications" ADD COLUMN "tenant_id" uuid;--> statement-breakpoint
CREATE INDEX "device_applications_tenant_requested_at_idx" ON "device_applications" USING btree ("tenant_id","requested_at","id");