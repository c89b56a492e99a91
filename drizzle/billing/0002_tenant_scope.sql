-- Orders from before this migration keep a null tenant_id until a user event refreshes their copies: until then only the ALL scope (and their own user) reaches them (fail closed).
ALTER TABLE "orders" ADD COLUMN "tenant_id" uuid;--> statement-breakpoint
CREATE INDEX "orders_tenant_created_at_idx" ON "orders" USING btree ("tenant_id","created_at","id");