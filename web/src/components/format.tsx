import type { DeviceStatus } from '../operations/types';

export function StatusBadge({ status, label }: { status: DeviceStatus | string; label?: string }) {
  return (
    <span className={`status status-${status.toLowerCase()}`} data-testid="status">
      {label ?? status.charAt(0) + status.slice(1).toLowerCase()}
    </span>
  );
}

/** Amounts arrive as exact decimal strings (never floats); shown as they are, with their currency. */
export function formatMoney(amount: string, currency: string): string {
  return `${amount} ${currency}`;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  return new Date(value).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
