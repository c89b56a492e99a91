-- Default templates: an IN_APP and an EMAIL template for every notification type, so a fresh
-- database can notify. Placeholders are {{name}} only (templates/render.ts); the names are the
-- values notifications/plan.ts takes from each event. Existing templates are kept.
INSERT INTO "notification_templates" ("type", "channel", "title_template", "body_template") VALUES
	('WELCOME', 'IN_APP', 'Welcome, {{displayName}}!', 'Your account {{username}} is ready. Create your first cloud phone to get started.'),
	('WELCOME', 'EMAIL', 'Welcome to Cloudphone, {{displayName}}', 'Hello {{displayName}}, your Cloudphone account {{username}} is ready. Sign in to create your first cloud phone.'),
	('DEVICE_ERROR', 'IN_APP', 'Device {{deviceName}} has failed', 'Your cloud phone {{deviceName}} went from {{previousStatus}} to ERROR.'),
	('DEVICE_ERROR', 'EMAIL', 'Your cloud phone {{deviceName}} has failed', 'Your cloud phone {{deviceName}} ({{deviceId}}) went from {{previousStatus}} to ERROR at {{changedAt}}. Restart it, or contact support if it keeps failing.'),
	('ORDER_PAID', 'IN_APP', 'Order paid', 'We received your payment of {{amount}} {{currency}}.'),
	('ORDER_PAID', 'EMAIL', 'Payment received: {{amount}} {{currency}}', 'Thank you: your order {{orderId}} of {{amount}} {{currency}} is paid.'),
	('PAYMENT_FAILED', 'IN_APP', 'Payment failed', 'Your payment of {{amount}} {{currency}} did not go through: {{reason}}'),
	('PAYMENT_FAILED', 'EMAIL', 'Your payment of {{amount}} {{currency}} failed', 'The {{method}} payment of {{amount}} {{currency}} for order {{orderId}} did not go through: {{reason}}. Please try again or use another payment method.'),
	('BALANCE_LOW', 'IN_APP', 'Low balance', 'Your balance is {{balance}} {{currency}}, below {{threshold}} {{currency}}. Top up to keep your devices running.'),
	('BALANCE_LOW', 'EMAIL', 'Your balance is low: {{balance}} {{currency}}', 'Your balance is {{balance}} {{currency}}, below your threshold of {{threshold}} {{currency}}. Top up to keep your cloud phones running.'),
	('QUOTA_EXCEEDED', 'IN_APP', 'Quota reached', 'Your {{limit}} quota allows {{max}}; {{requested}} were requested.'),
	('QUOTA_EXCEEDED', 'EMAIL', 'You have reached your {{limit}} quota', 'A request needed {{requested}} but your {{limit}} quota allows {{max}}. Upgrade your plan or free resources to continue.'),
	('INSTALL_FAILED', 'IN_APP', 'Installation failed', 'An application could not be installed on your device: {{reason}}'),
	('INSTALL_FAILED', 'EMAIL', 'An installation failed', 'Application {{applicationId}} could not be installed on device {{deviceId}}: {{reason}}.')
ON CONFLICT ("type", "channel") DO NOTHING;
