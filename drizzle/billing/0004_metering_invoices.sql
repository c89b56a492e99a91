CREATE TYPE "public"."invoice_status" AS ENUM('OPEN', 'CLOSED');--> statement-breakpoint
CREATE TYPE "public"."usage_end" AS ENUM('STATUS_CHANGE', 'PERIODIC_CUT');--> statement-breakpoint
CREATE TABLE "billing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"cpu_cores" integer,
	"memory_mb" integer,
	"storage_gb" integer,
	"price_per_hour_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_rules_provider_check" CHECK ("billing_rules"."provider" in ('REDROID', 'PHYSICAL', 'HUAWEI_CPH', 'ALIYUN_ECP')),
	CONSTRAINT "billing_rules_spec_check" CHECK (("billing_rules"."cpu_cores" is null) = ("billing_rules"."memory_mb" is null) and ("billing_rules"."cpu_cores" is null) = ("billing_rules"."storage_gb" is null)),
	CONSTRAINT "billing_rules_price_check" CHECK ("billing_rules"."price_per_hour_minor" >= 0),
	CONSTRAINT "billing_rules_currency_check" CHECK ("billing_rules"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"tenant_id" uuid,
	"currency" text NOT NULL,
	"period_start" timestamp (3) with time zone NOT NULL,
	"period_end" timestamp (3) with time zone NOT NULL,
	"status" "invoice_status" DEFAULT 'OPEN' NOT NULL,
	"total_minor" bigint,
	"charged_minor" bigint,
	"due_minor" bigint,
	"credited_minor" bigint,
	"closed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_currency_check" CHECK ("invoices"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "invoices_closed_check" CHECK (("invoices"."status" = 'CLOSED') = ("invoices"."closed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "metered_devices" (
	"device_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"tenant_id" uuid,
	"provider" text,
	"cpu_cores" integer,
	"memory_mb" integer,
	"storage_gb" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metering_status_events" (
	"device_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"previous_status" text NOT NULL,
	"changed_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "metering_status_events_device_id_version_pk" PRIMARY KEY("device_id","version")
);
--> statement-breakpoint
CREATE TABLE "usage_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"tenant_id" uuid,
	"provider" text NOT NULL,
	"cpu_cores" integer NOT NULL,
	"memory_mb" integer NOT NULL,
	"storage_gb" integer NOT NULL,
	"run_version" integer NOT NULL,
	"segment" integer NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"ended_by" "usage_end",
	"rule_id" uuid,
	"price_per_hour_minor" bigint,
	"currency" text NOT NULL,
	"carry_in_units" bigint DEFAULT 0 NOT NULL,
	"duration_ms" bigint,
	"covered_ms" bigint,
	"cost_minor" bigint,
	"charged_minor" bigint,
	"unpaid_minor" bigint,
	"invoice_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_records_provider_check" CHECK ("usage_records"."provider" in ('REDROID', 'PHYSICAL', 'HUAWEI_CPH', 'ALIYUN_ECP')),
	CONSTRAINT "usage_records_ended_check" CHECK ("usage_records"."ended_at" is null or "usage_records"."ended_at" >= "usage_records"."started_at"),
	CONSTRAINT "usage_records_money_check" CHECK ("usage_records"."cost_minor" >= 0 and "usage_records"."charged_minor" >= 0 and "usage_records"."unpaid_minor" >= 0 and "usage_records"."cost_minor" = "usage_records"."charged_minor" + "usage_records"."unpaid_minor")
);
--> statement-breakpoint
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_rule_id_billing_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."billing_rules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_rules_spec_key" ON "billing_rules" USING btree ("provider","cpu_cores","memory_mb","storage_gb");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_rules_default_key" ON "billing_rules" USING btree ("provider") WHERE "billing_rules"."cpu_cores" is null;--> statement-breakpoint
CREATE INDEX "billing_rules_created_at_idx" ON "billing_rules" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_user_period_key" ON "invoices" USING btree ("user_id","currency","period_start");--> statement-breakpoint
CREATE INDEX "invoices_user_period_idx" ON "invoices" USING btree ("user_id","period_start","id");--> statement-breakpoint
CREATE INDEX "invoices_open_idx" ON "invoices" USING btree ("period_end") WHERE "invoices"."status" = 'OPEN';--> statement-breakpoint
CREATE UNIQUE INDEX "usage_records_run_segment_key" ON "usage_records" USING btree ("device_id","run_version","segment");--> statement-breakpoint
CREATE INDEX "usage_records_device_started_at_idx" ON "usage_records" USING btree ("device_id","started_at","id");--> statement-breakpoint
CREATE INDEX "usage_records_open_idx" ON "usage_records" USING btree ("started_at") WHERE "usage_records"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "usage_records_invoice_idx" ON "usage_records" USING btree ("invoice_id");