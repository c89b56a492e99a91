import type { OrderSummary } from '../operations/types';
import { Empty } from './feedback';
import { formatDate, formatMoney } from './format';

/** One line for an order: plan, amount, status (and when, where there is room). */
export function orderLine(order: Pick<OrderSummary, 'plan' | 'amount' | 'currency' | 'status'>): string {
  return `${order.plan?.name ?? 'order'} · ${formatMoney(order.amount, order.currency)} · ${order.status}`;
}

/** A short list of orders (a dashboard's recent ones, a device's), or what to say when there are none. */
export function OrderSummaries({ orders, none }: { orders: OrderSummary[]; none: string }) {
  if (orders.length === 0) return <Empty>{none}</Empty>;
  return (
    <ul>
      {orders.map((order) => (
        <li key={order.id}>
          {orderLine(order)} · {formatDate(order.createdAt)}
        </li>
      ))}
    </ul>
  );
}
