import { useQuery } from '@apollo/client/react';
import { Empty, ErrorPanel, Loading } from '../components/feedback';
import { StatusBadge, formatMoney } from '../components/format';
import { OrderSummaries } from '../components/order-summaries';
import { USER_DASHBOARD } from '../operations/documents';
import { Link } from '../routing/router';
import { Table } from '../components/table';

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="figure" data-testid={testId}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
    </div>
  );
}

/** A user's dashboard: devices by status against the quota, balance, unread notifications, devices, recent orders. */
export function DashboardPage({ userId, own }: { userId: string; own: boolean }) {
  const { data, loading, error } = useQuery(USER_DASHBOARD, { variables: { userId }, errorPolicy: 'all' });
  const user = data?.user;
  const quota = user?.quota;
  const notificationsLink = own ? '/notifications' : `/users/${userId}/notifications`;

  return (
    <section>
      {loading && !data && <Loading what="the dashboard" />}
      {error && <ErrorPanel error={error} />}
      {!loading && !user && !error && <Empty>No such user.</Empty>}
      {user && (
        <>
          <h1>{own ? 'My dashboard' : user.displayName}</h1>
          <p className="secondary">{user.tenant?.name}</p>
          <div className="figures">
            <Figure label={`running of ${quota?.maxRunningDevices ?? '—'} allowed`} value={String(user.running?.totalCount ?? '—')} testId="running" />
            <Figure label="stopped" value={String(user.stopped?.totalCount ?? '—')} />
            <Figure label="in error" value={String(user.failed?.totalCount ?? '—')} />
            <Figure label={`devices of ${quota?.maxDevices ?? '—'} allowed`} value={String(user.devices?.totalCount ?? '—')} />
            <Figure label="balance" value={user.balance ? formatMoney(user.balance.amount, user.balance.currency) : '—'} />
            <Figure label="unread notifications" value={String(user.unreadNotificationCount ?? '—')} />
          </div>
          <p>
            <Link to={notificationsLink}>Notifications</Link>
          </p>
          <h2>Devices</h2>
          {(user.devices?.edges ?? []).length === 0 ? (
            <Empty>No devices yet.</Empty>
          ) : (
            <Table columns={['Device', 'Status', 'Spec', 'Apps']}>
                {(user.devices?.edges ?? []).map(({ node: device }) => (
                  <tr key={device.id}>
                    <td>
                      <Link to={`/devices/${device.id}`}>{device.name}</Link>
                    </td>
                    <td>
                      <StatusBadge status={device.status} />
                    </td>
                    <td>
                      {device.spec.cpuCores} cores / {device.spec.memoryMb} MB
                    </td>
                    <td>{(device.applications ?? []).map((install) => install.application?.name).filter(Boolean).join(', ') || '—'}</td>
                  </tr>
                ))}
            </Table>
          )}
          <h2>Recent orders</h2>
          <OrderSummaries orders={(user.orders?.edges ?? []).map((edge) => edge.node)} none="No orders yet." />
        </>
      )}
    </section>
  );
}
