import { useQuery } from '@apollo/client/react';
import { Empty, ErrorPanel, Loading } from '../components/feedback';
import { formatDate, formatMoney } from '../components/format';
import { NextPageButton } from '../components/next-page-button';
import { ORDER_LIST } from '../operations/documents';
import { Link } from '../routing/router';
import { Table } from '../components/table';

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
        <Table columns={['Created', 'Plan', 'User', 'Device', 'Amount', 'Status', 'Payments']}>
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
        </Table>
      )}
      <NextPageButton connection={orders} pageSize={PAGE_SIZE} loading={loading} onNext={(after) => void fetchMore({ variables: { after } })} />
    </section>
  );
}
