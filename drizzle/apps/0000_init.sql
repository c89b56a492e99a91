CREATE TYPE "public"."application_status" AS ENUM('PENDING_REVIEW', 'APPROVED', 'REJECTED', 'AVAILABLE', 'UNAVAILABLE', 'DELETED');--> statement-breakpoint
CREATE TYPE "public"."install_status" AS ENUM('PENDING', 'INSTALLING', 'INSTALLED', 'FAILED', 'UNINSTALLING', 'UNINSTALLED');--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"package_name" text NOT NULL,
	"name" text NOT NULL,
	"version_name" text NOT NULL,
	"version_code" integer NOT NULL,
	"size_bytes" bigint NOT NULL,
	"category" text NOT NULL,
	"icon_url" text,
	"status" "application_status" DEFAULT 'PENDING_REVIEW' NOT NULL,
	"reviewed_by" uuid,
	"review_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "install_status" DEFAULT 'PENDING' NOT NULL,
	"error" text,
	"requested_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"installed_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "device_applications" ADD CONSTRAINT "device_applications_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_package_version_key" ON "applications" USING btree ("package_name","version_code");--> statement-breakpoint
CREATE INDEX "applications_created_at_idx" ON "applications" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "applications_name_idx" ON "applications" USING btree ("name","id");--> statement-breakpoint
CREATE UNIQUE INDEX "device_applications_device_application_key" ON "device_applications" USING btree ("device_id","application_id");--> statement-breakpoint
CREATE INDEX "device_applications_device_requested_at_idx" ON "device_applications" USING btree ("device_id","requested_at","id");--> statement-breakpoint
CREATE INDEX "device_applications_application_idx" ON "device_applications" USING btree ("application_id");