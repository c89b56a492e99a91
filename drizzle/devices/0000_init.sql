CREATE TYPE "public"."device_provider" AS ENUM('REDROID', 'PHYSICAL', 'HUAWEI_CPH', 'ALIYUN_ECP');--> statement-breakpoint
CREATE TYPE "public"."device_status" AS ENUM('CREATING', 'RUNNING', 'STOPPED', 'ERROR', 'DELETED');--> statement-breakpoint
CREATE TYPE "public"."node_status" AS ENUM('ONLINE', 'OFFLINE', 'MAINTENANCE', 'DRAINING');--> statement-breakpoint
CREATE TABLE "device_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"provider" "device_provider" NOT NULL,
	"cpu_cores" integer NOT NULL,
	"memory_mb" integer NOT NULL,
	"storage_gb" integer NOT NULL,
	"android_version" text NOT NULL,
	"image" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"owner_name" text NOT NULL,
	"owner_email" text NOT NULL,
	"owner_version" integer NOT NULL,
	"name" text NOT NULL,
	"provider" "device_provider" NOT NULL,
	"cpu_cores" integer NOT NULL,
	"memory_mb" integer NOT NULL,
	"storage_gb" integer NOT NULL,
	"android_version" text NOT NULL,
	"node_id" uuid,
	"template_id" uuid,
	"adb_host" text,
	"adb_port" integer,
	"health_score" integer DEFAULT 100 NOT NULL,
	"last_heartbeat_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone,
	"status" "device_status" DEFAULT 'CREATING' NOT NULL,
	"status_changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"status" "node_status" DEFAULT 'ONLINE' NOT NULL,
	"region" text NOT NULL,
	"zone" text NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"cpu_capacity" integer NOT NULL,
	"memory_mb_capacity" integer NOT NULL,
	"storage_gb_capacity" integer NOT NULL,
	"device_slots" integer NOT NULL,
	"cpu_used" integer DEFAULT 0 NOT NULL,
	"memory_mb_used" integer DEFAULT 0 NOT NULL,
	"storage_gb_used" integer DEFAULT 0 NOT NULL,
	"devices_used" integer DEFAULT 0 NOT NULL,
	"last_heartbeat_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_template_id_device_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."device_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "device_templates_name_key" ON "device_templates" USING btree ("name");--> statement-breakpoint
CREATE INDEX "device_templates_created_at_idx" ON "device_templates" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "devices_user_created_at_idx" ON "devices" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "devices_tenant_created_at_idx" ON "devices" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "devices_created_at_idx" ON "devices" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "devices_status_created_at_idx" ON "devices" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "devices_owner_name_idx" ON "devices" USING btree ("owner_name","id");--> statement-breakpoint
CREATE INDEX "devices_owner_email_idx" ON "devices" USING btree ("owner_email","id");--> statement-breakpoint
CREATE INDEX "devices_name_idx" ON "devices" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "devices_node_idx" ON "devices" USING btree ("node_id");--> statement-breakpoint
CREATE UNIQUE INDEX "nodes_name_key" ON "nodes" USING btree ("name");--> statement-breakpoint
CREATE INDEX "nodes_created_at_idx" ON "nodes" USING btree ("created_at","id");