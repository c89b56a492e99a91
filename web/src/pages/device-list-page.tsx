import { useQuery } from '@apollo/client/react';
import { type FormEvent, useState } from 'react';
import { Empty, ErrorPanel, Loading } from '../components/feedback';
import { StatusBadge } from '../components/format';
import { NextPageButton } from '../components/next-page-button';
import { orderLine } from '../components/order-summaries';
import { ADMIN_DEVICE_LIST } from '../operations/documents';
import type { AdminDeviceListVariables, DeviceOrderField, SortDirection } from '../operations/types';
import { Link, navigate, useLocation } from '../routing/router';
import { Table } from '../components/table';

const SORTS: Record<string, { label: string; field: DeviceOrderField; direction: SortDirection }> = {
  newest: { label: 'Newest first', field: 'CREATED_AT', direction: 'DESC' },
  'owner-asc': { label: 'Owner name A–Z', field: 'OWNER_NAME', direction: 'ASC' },
  'owner-desc': { label: 'Owner name Z–A', field: 'OWNER_NAME', direction: 'DESC' },
  'email-asc': { label: 'Owner e-mail A–Z', field: 'OWNER_EMAIL', direction: 'ASC' },
  name: { label: 'Device name', field: 'NAME', direction: 'ASC' },
  status: { label: 'Status', field: 'STATUS', direction: 'ASC' },
};

const PAGE_SIZE = 25;

/** Filter and sort live in the query string, so a filtered list can be linked to and survives a reload. */
function listParameters(path: string): { owner: string; sort: string } {
  const search = new URLSearchParams(path.split('?')[1] ?? '');
  const sort = search.get('sort') ?? 'newest';
  return { owner: search.get('owner') ?? '', sort: sort in SORTS ? sort : 'newest' };
}

/** The admin device list: one query (devices with owner, tenant, node, installs and latest order). */
export function DeviceListPage() {
  const { owner, sort } = listParameters(useLocation());
  const [ownerInput, setOwnerInput] = useState(owner);
  const order = SORTS[sort] ?? SORTS['newest'];
  const variables: AdminDeviceListVariables = {
    first: PAGE_SIZE,
    owner: owner === '' ? null : owner,
    orderBy: order ? { field: order.field, direction: order.direction } : null,
  };
  const { data, loading, error, fetchMore } = useQuery(ADMIN_DEVICE_LIST, { variables, errorPolicy: 'all', notifyOnNetworkStatusChange: true });
  const devices = data?.devices;

  const apply = (next: { owner: string; sort: string }) => {
    const search = new URLSearchParams();
    if (next.owner !== '') search.set('owner', next.owner);
    if (next.sort !== 'newest') search.set('sort', next.sort);
    const query = search.toString();
    navigate(query === '' ? '/devices' : `/devices?${query}`);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply({ owner: ownerInput.trim(), sort });
  };

  return (
    <section>
      <h1>Devices</h1>
      <form className="toolbar" onSubmit={submit} aria-label="Filter devices">
        <label>
          Owner
          <input name="owner" placeholder="name or e-mail starts with…" value={ownerInput} onChange={(event) => setOwnerInput(event.target.value)} />
        </label>
        <button type="submit">Filter</button>
        <label>
          Sort
          <select name="sort" value={sort} onChange={(event) => apply({ owner, sort: event.target.value })}>
            {Object.entries(SORTS).map(([key, option]) => (
              <option key={key} value={key}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        {devices && <span className="count" data-testid="device-count">{devices.totalCount} devices</span>}
      </form>
      {error && <ErrorPanel error={error} />}
      {!devices && loading && <Loading what="devices" />}
      {devices && devices.edges.length === 0 && <Empty>No device matches{owner === '' ? '' : ` the owner “${owner}”`}.</Empty>}
      {devices && devices.edges.length > 0 && (
        <Table className="devices" columns={['Device', 'Status', 'Owner', 'Tenant', 'Node', 'Apps', 'Latest order']}>
            {devices.edges.map(({ node: device }) => (
              <tr key={device.id} data-testid="device-row">
                <td>
                  <Link to={`/devices/${device.id}`}>{device.name}</Link>
                </td>
                <td>
                  <StatusBadge status={device.status} label={device.statusLabel} />
                </td>
                <td data-testid="owner">
                  {device.user ? <Link to={`/users/${device.user.id}`}>{device.user.displayName}</Link> : '—'}
                  {device.user && <div className="secondary">{device.user.email}</div>}
                </td>
                <td>{device.user?.tenant.name ?? '—'}</td>
                <td>{device.node ? `${device.node.name} (${device.node.zone})` : '—'}</td>
                <td>{device.installedApplicationCount ?? '—'}</td>
                <td>{device.latestOrder ? orderLine(device.latestOrder) : '—'}</td>
              </tr>
            ))}
        </Table>
      )}
      <NextPageButton connection={devices} pageSize={PAGE_SIZE} loading={loading} onNext={(after) => void fetchMore({ variables: { after } })} />
    </section>
  );
}
