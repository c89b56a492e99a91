ALTER TABLE "orders" ADD COLUMN "purchase_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "orders_user_purchase_key" ON "orders" USING btree ("user_id","purchase_key");