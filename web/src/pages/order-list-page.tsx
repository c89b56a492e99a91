import { useQuery } from '@apollo/client/react';
import { Empty, ErrorPanel, Loading } from '../components/feedback';
import { formatDate, formatMoney } from '../components/format';
import { ORDER_LIST } from '../operations/documents';
import { Link } from '../routing/router';

const PAGE_SIZE = 25;

/** Orders with their user, plan, device and payments; a USER sees its own. */
export function OrderListPage() {
  const { data, loading, error, fetchMore } = useQuery(ORDER_LIST, { variables: { first: PAGE_SIZE }, errorPolicy: 'all', notifyOnNetworkStatusChange: true });
  const orders = data?.orders;
  return (
    <section>
      <h1>Orders</h1>
      {orders && <p className="count">{orders.totalCount} orders</p>}
      {error && <ErrorPanel error={error} />}
      {!orders && loading && <Loading what="orders" />}
      {orders && orders.edges.length === 0 && <Empty>No orders yet.</Empty>}
      {orders && orders.edges.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Created</th>
              <th>Plan</th>
              <th>User</th>
              <th>Device</th>
              <th>Amount</th>
              <th>Status</th>
              <th>Payments</th>
            </tr>
          </thead>
          <tbody>
            {orders.edges.map(({ node: order }) => (
              <tr key={order.id} data-testid="order-row">
                <td>{formatDate(order.createdAt)}</td>
                <td>{order.plan?.name ?? '—'}</td>
                <td>{order.user ? <Link to={`/users/${order.user.id}`}>{order.user.displayName}</Link> : '—'}</td>
                <td>{order.device ? <Link to={`/devices/${order.device.id}`}>{order.device.name}</Link> : '—'}</td>
                <td>{formatMoney(order.amount, order.currency)}</td>
                <td>{order.status}</td>
                <td>{(order.payments ?? []).map((payment) => `${payment.method} ${payment.status}`).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {orders?.pageInfo.hasNextPage && (
        <button type="button" className="more" disabled={loading} onClick={() => void fetchMore({ variables: { after: orders.pageInfo.endCursor } })}>
          {loading ? 'Loading…' : `Next ${PAGE_SIZE} (${orders.edges.length} of ${orders.totalCount} shown)`}
        </button>
      )}
    </section>
  );
}
