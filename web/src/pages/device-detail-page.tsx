import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { type SocketState, useSocketState } from '../apollo/socket-state';
import { Empty, ErrorPanel, Loading } from '../components/feedback';
import { StatusBadge, formatDate, formatMoney } from '../components/format';
import { OrderSummaries } from '../components/order-summaries';
import { DEVICE_DETAIL, DEVICE_STATUS_CHANGED, START_DEVICE, STOP_DEVICE } from '../operations/documents';
import { Link } from '../routing/router';

const SOCKET_LABELS: Record<SocketState, string> = { idle: 'connecting…', connecting: 'connecting…', live: 'live', closed: 'reconnecting…' };

/**
 * One device with its owner, host, installs, usage and orders. Its status follows `deviceStatusChanged`:
 * each event carries the device, which Apollo's cache merges into this page's query by id.
 */
export function DeviceDetailPage({ deviceId, back }: { deviceId: string; back: { to: string; label: string } }) {
  const { data, loading, error } = useQuery(DEVICE_DETAIL, { variables: { deviceId }, errorPolicy: 'all' });
  const live = useSubscription(DEVICE_STATUS_CHANGED, { variables: { deviceId } });
  const socket = useSocketState();
  const [start, starting] = useMutation(START_DEVICE);
  const [stop, stopping] = useMutation(STOP_DEVICE);
  const device = data?.device;
  const busy = starting.loading || stopping.loading;
  const lastChange = live.data?.deviceStatusChanged;
  // A refused action is shown below; the promise's rejection carries nothing more.
  const act = (action: typeof start) => void action({ variables: { id: deviceId } }).catch(() => undefined);

  return (
    <section>
      <p className="crumbs">
        <Link to={back.to}>{back.label}</Link> /
      </p>
      {loading && !data && <Loading what="the device" />}
      {error && <ErrorPanel error={error} />}
      {!loading && !device && !error && <Empty>No device with this id.</Empty>}
      {device && (
        <>
          <header className="device-header">
            <h1>{device.name}</h1>
            <StatusBadge status={device.status} label={device.statusLabel} />
            <span className={`live live-${live.error ? 'closed' : socket}`} data-testid="live" title="Status updates arrive over a WebSocket subscription">
              {live.error ? 'live updates stopped' : SOCKET_LABELS[socket]}
            </span>
            <div className="actions">
              <button type="button" onClick={() => act(start)} disabled={busy || device.status === 'RUNNING'}>
                Start
              </button>
              <button type="button" onClick={() => act(stop)} disabled={busy || device.status !== 'RUNNING'}>
                Stop
              </button>
            </div>
          </header>
          {starting.error && <ErrorPanel error={starting.error} title="Could not start the device" />}
          {stopping.error && <ErrorPanel error={stopping.error} title="Could not stop the device" />}
          {live.error && <ErrorPanel error={live.error} title="Live status stopped" />}
          {lastChange && (
            <p className="notice" data-testid="last-change">
              {lastChange.previousStatus} → {lastChange.status} at {formatDate(lastChange.occurredAt)}
            </p>
          )}
          <dl className="facts">
            <dt>Owner</dt>
            <dd>{device.user ? <Link to={`/users/${device.user.id}`}>{`${device.user.displayName} <${device.user.email}>`}</Link> : '—'}</dd>
            <dt>Provider</dt>
            <dd>
              {device.provider}, Android {device.androidVersion}
            </dd>
            <dt>Spec</dt>
            <dd>
              {device.spec.cpuCores} cores, {device.spec.memoryMb} MB memory, {device.spec.storageGb} GB storage
            </dd>
            <dt>Node</dt>
            <dd>{device.node ? `${device.node.name} (${device.node.status}, ${device.node.region}/${device.node.zone})` : '—'}</dd>
            <dt>Health</dt>
            <dd>{device.healthScore ?? '—'}</dd>
            <dt>Status since</dt>
            <dd>{formatDate(device.statusChangedAt)}</dd>
            <dt>Usage</dt>
            <dd>{(device.usageTotals ?? []).map((total) => `${Math.round(total.runningMs / 3_600_000)} h running, ${formatMoney(total.cost, total.currency)}`).join('; ') || '—'}</dd>
          </dl>
          <h2>Installed applications</h2>
          {(device.applications ?? []).length === 0 ? (
            <Empty>No application installed.</Empty>
          ) : (
            <ul>
              {(device.applications ?? []).map((install) => (
                <li key={install.id}>
                  {install.application?.name ?? 'unknown application'} {install.application?.versionName} — {install.status}
                  {install.error && <span className="secondary"> ({install.error})</span>}
                </li>
              ))}
            </ul>
          )}
          <h2>Orders</h2>
          <OrderSummaries orders={(device.orders?.edges ?? []).map((edge) => edge.node)} none="No order for this device." />
        </>
      )}
    </section>
  );
}
