CREATE TYPE "public"."allocation_status" AS ENUM('ALLOCATED', 'RELEASED', 'EXPIRED');--> statement-breakpoint
CREATE TYPE "public"."node_status" AS ENUM('ONLINE', 'OFFLINE', 'MAINTENANCE', 'DRAINING');--> statement-breakpoint
CREATE TYPE "public"."placement_strategy" AS ENUM('LEAST_LOADED', 'BINPACK', 'SPREAD', 'ROUND_ROBIN', 'WEIGHTED');--> statement-breakpoint
CREATE TABLE "allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"strategy" "placement_strategy" NOT NULL,
	"cpu_cores" integer NOT NULL,
	"memory_mb" integer NOT NULL,
	"storage_gb" integer NOT NULL,
	"status" "allocation_status" DEFAULT 'ALLOCATED' NOT NULL,
	"allocated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp (3) with time zone,
	"released_at" timestamp (3) with time zone,
	"release_reason" text
);
--> statement-breakpoint
CREATE TABLE "inbox" (
	"event_id" uuid NOT NULL,
	"consumer" text NOT NULL,
	"routing_key" text NOT NULL,
	"processed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_event_id_consumer_pk" PRIMARY KEY("event_id","consumer")
);
--> statement-breakpoint
CREATE TABLE "node_resources" (
	"node_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"status" "node_status" NOT NULL,
	"region" text NOT NULL,
	"zone" text NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"cpu_capacity" integer NOT NULL,
	"memory_mb_capacity" integer NOT NULL,
	"storage_gb_capacity" integer NOT NULL,
	"device_slots" integer NOT NULL,
	"cpu_allocated" integer DEFAULT 0 NOT NULL,
	"memory_mb_allocated" integer DEFAULT 0 NOT NULL,
	"storage_gb_allocated" integer DEFAULT 0 NOT NULL,
	"devices_allocated" integer DEFAULT 0 NOT NULL,
	"source_version" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "node_resources_cpu_within_capacity" CHECK ("node_resources"."cpu_allocated" between 0 and "node_resources"."cpu_capacity"),
	CONSTRAINT "node_resources_memory_within_capacity" CHECK ("node_resources"."memory_mb_allocated" between 0 and "node_resources"."memory_mb_capacity"),
	CONSTRAINT "node_resources_storage_within_capacity" CHECK ("node_resources"."storage_gb_allocated" between 0 and "node_resources"."storage_gb_capacity"),
	CONSTRAINT "node_resources_slots_within_capacity" CHECK ("node_resources"."devices_allocated" between 0 and "node_resources"."device_slots")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"sequence" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"routing_key" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp (3) with time zone,
	CONSTRAINT "outbox_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "scheduler_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_node_id_node_resources_node_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."node_resources"("node_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "allocations_one_active_per_device" ON "allocations" USING btree ("device_id") WHERE "allocations"."status" = 'ALLOCATED';--> statement-breakpoint
CREATE INDEX "allocations_device_allocated_at_idx" ON "allocations" USING btree ("device_id","allocated_at");--> statement-breakpoint
CREATE INDEX "allocations_node_status_idx" ON "allocations" USING btree ("node_id","status");--> statement-breakpoint
CREATE INDEX "allocations_user_status_idx" ON "allocations" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "allocations_unconfirmed_idx" ON "allocations" USING btree ("allocated_at") WHERE "allocations"."status" = 'ALLOCATED' and "allocations"."confirmed_at" is null;--> statement-breakpoint
CREATE INDEX "node_resources_status_idx" ON "node_resources" USING btree ("status");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "outbox" USING btree ("sequence") WHERE published_at is null;