CREATE TYPE "public"."quota_status" AS ENUM('ACTIVE', 'SUSPENDED');--> statement-breakpoint
CREATE TABLE "user_quotas" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"max_devices" integer NOT NULL,
	"max_running_devices" integer NOT NULL,
	"max_cpu_cores" integer NOT NULL,
	"max_memory_mb" integer NOT NULL,
	"max_storage_gb" integer NOT NULL,
	"status" "quota_status" DEFAULT 'ACTIVE' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_quotas_limits_check" CHECK ("user_quotas"."max_devices" >= 0 and "user_quotas"."max_running_devices" >= 0 and "user_quotas"."max_cpu_cores" >= 0 and "user_quotas"."max_memory_mb" >= 0 and "user_quotas"."max_storage_gb" >= 0)
);
--> statement-breakpoint
ALTER TABLE "user_quotas" ADD CONSTRAINT "user_quotas_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;