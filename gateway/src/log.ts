/** One JSON line on stderr per gateway log entry, as the error formatter writes them. */
export function logGateway(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level, service: 'gateway', message, ...fields }));
}
