ALTER TABLE "nodes" DROP COLUMN "cpu_used";--> statement-breakpoint
ALTER TABLE "nodes" DROP COLUMN "memory_mb_used";--> statement-breakpoint
ALTER TABLE "nodes" DROP COLUMN "storage_gb_used";--> statement-breakpoint
ALTER TABLE "nodes" DROP COLUMN "devices_used";