-- Who may change quotas: quota:write over the user's row, a SUPER_ADMIN anywhere, an ADMIN in its own tenant.
-- (Not user:write: a USER holds that over itself and would raise its own quota.)
INSERT INTO permissions (code) VALUES ('quota:write') ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO role_permissions (role_id, permission) SELECT id, 'quota:write' FROM roles WHERE roles.name IN ('SUPER_ADMIN', 'ADMIN') ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO role_data_scopes (role_id, resource, scope) SELECT id, 'quota', s.scope::data_scope FROM roles, (VALUES ('SUPER_ADMIN', 'ALL'), ('ADMIN', 'TENANT')) AS s(role_name, scope) WHERE roles.name = s.role_name ON CONFLICT DO NOTHING;--> statement-breakpoint
-- Users from before quotas existed get the default quota (QUOTA_DEFAULT_* of subgraphs/users/src/config.ts when this was written).
INSERT INTO user_quotas (user_id, max_devices, max_running_devices, max_cpu_cores, max_memory_mb, max_storage_gb) SELECT users.id, 20, 15, 64, 131072, 1024 FROM users ON CONFLICT DO NOTHING;
